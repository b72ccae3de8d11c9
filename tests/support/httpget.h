#pragma once

// One GET to a real server the test started or uses (Prometheus, a scrape target), with
// a 5 s deadline, waited for in a local event loop.
#include <QByteArray>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

namespace antibody::test {

struct HttpAnswer
{
    bool ok = false; // an answer with a 2xx status
    int status = 0; // 0: no answer
    QByteArray body;
};

inline HttpAnswer httpAnswer(const QUrl &url)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    request.setTransferTimeout(5'000);
    QNetworkReply *reply = manager.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    HttpAnswer a { reply->error() == QNetworkReply::NoError,
        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll() };
    reply->deleteLater();
    return a;
}

} // namespace antibody::test

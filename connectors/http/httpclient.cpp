#include "connectors/http/httpclient.h"

#include "connectors/http/redaction.h"
#include "connectors/http/retrypolicy.h"
#include "engine/store/redaction.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace antibody {

HttpClient::HttpClient(QObject *context, HttpOptions options, QString name, int maxThreads)
    : m_session(std::move(options))
    , m_pool(context, std::move(name), maxThreads)
{
}

void HttpClient::send(HttpRequest request, std::function<void(HttpResponse)> done)
{
    m_pool.run<HttpResponse>(
        [this, request = std::move(request)](const Cancellation &c) { return perform(request, c); }, std::move(done));
}

HttpResponse HttpClient::perform(const HttpRequest &request, const Cancellation &cancellation) const
{
    const RetryPolicy policy(m_session.options());
    Duration waited { 0 };
    for (int attempt = 1;; ++attempt) {
        HttpResponse response = m_session.perform(request, cancellation);
        response.attempts = attempt;
        response.elapsed += waited;
        if (!policy.shouldRetry(request, response, attempt) || cancellation.isCancelled())
            return response;
        const Duration delay = policy.delay(attempt, QRandomGenerator::global()->generateDouble(), response.retryAfter);
        if (!cancellation.sleepFor(delay))
            return response;
        waited += response.elapsed + delay;
    }
}

QString HttpClient::insecureWarning(const QString &url) const
{
    if (!m_session.options().tls.insecureSkipVerify)
        return {};
    return u"TLS verification is OFF for %1 (%2.tls.insecure_skip_verify): anyone on the network path can "
           u"impersonate this server and feed the engine false data. Set tls.ca_file instead."_s.arg(
               url, m_session.options().configKey);
}

QString HttpClient::statusProblem(const HttpResponse &response, const QString &configKey)
{
    if (response.failure != HttpResponse::Failure::None || response.ok())
        return {};
    // The start of the body often says what is wrong; keep it short and on one line.
    // A server may echo what it was sent (a key, a token): redacted like everything stored.
    QString body = Redaction::text(QString::fromUtf8(response.body.left(200)).simplified());
    if (response.body.size() > 200)
        body += u"..."_s;
    QString hint;
    switch (response.status) {
    case 401:
    case 403:
        hint = u"the server refused the credentials: check %1's token or password source"_s.arg(configKey);
        break;
    case 404:
        hint = u"nothing at that path: check %1.url"_s.arg(configKey);
        break;
    case 429:
        hint = u"the server is rate-limiting; requests will be retried"_s;
        break;
    default:
        if (response.status >= 500)
            hint = u"the server failed; it may be overloaded or restarting"_s;
        break;
    }
    QString text = u"HTTP %1"_s.arg(response.status);
    if (!body.isEmpty())
        text += u": "_s + body;
    if (!hint.isEmpty())
        text += u"; "_s + hint;
    return text;
}

} // namespace antibody

#pragma once

#include <QHostAddress>
#include <QString>
#include <optional>

namespace antibody::ctl {

// HOST:PORT as the serving options of `antibodyctl simulate` take it: 127.0.0.1:9464,
// [::1]:9464, localhost:0 (port 0: any free one).
struct ListenAddress
{
    QHostAddress ip;
    quint16 port = 0;

    static std::optional<ListenAddress> parse(const QString &text);
    // The host as a URL shows it: 127.0.0.1, [::1].
    QString urlHost() const;
};

} // namespace antibody::ctl

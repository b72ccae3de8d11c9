#include "app/antibodyctl/listenaddress.h"

using namespace Qt::StringLiterals;

namespace antibody::ctl {

std::optional<ListenAddress> ListenAddress::parse(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    QString host = text.left(colon);
    bool portOk = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&portOk) : 0;
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress ip = host == u"localhost"_s ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(host);
    if (!portOk || port > 65535 || ip.isNull())
        return std::nullopt;
    return ListenAddress { ip, static_cast<quint16>(port) };
}

QString ListenAddress::urlHost() const
{
    return ip.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]"_s.arg(ip.toString()) : ip.toString();
}

} // namespace antibody::ctl

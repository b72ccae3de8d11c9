#include "connectors/libraryversions.h"

#include <curl/curl.h>
#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace antibody {

QString curlVersion()
{
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info ? QString::fromLatin1(info->version) + u" ("_s
            + QString::fromLatin1(info->ssl_version ? info->ssl_version : "no TLS") + u')'
                : u"unknown"_s;
}

QString libpqVersion()
{
    const int v = PQlibVersion(); // e.g. 150018
    return u"%1.%2"_s.arg(v / 10000).arg(v % 100);
}

} // namespace antibody

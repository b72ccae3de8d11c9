#include "connectors/doctor/probeoptions.h"

#include "connectors/http/redaction.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

HttpOptions probeOptions(HttpOptions options, Duration connect, Duration total)
{
    options.maxAttempts = 1;
    options.connectTimeout = std::min(options.connectTimeout, connect);
    options.totalTimeout = std::min(options.totalTimeout, total);
    options.maxRedirects = std::min(options.maxRedirects, 3);
    return options;
}

QString probeError(const HttpResponse &response, const QUrl &url)
{
    if (response.failure == HttpResponse::Failure::Cancelled)
        return u"GET %1: no answer within the doctor's bound (--timeout)"_s.arg(redactedUrl(url));
    return response.error;
}

} // namespace antibody

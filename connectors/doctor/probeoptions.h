#pragma once

#include "connectors/http/httpexchange.h"
#include "connectors/http/httpoptions.h"

namespace antibody {

// `antibodyctl doctor` asks each server once and briefly: the configured HTTP
// options with one attempt and timeouts of at most `connect` and `total`, so a
// host that does not answer costs seconds, never the retries a poller makes.
HttpOptions probeOptions(
    HttpOptions options, Duration connect = Duration { 2'000 }, Duration total = Duration { 4'000 });

// The error of a request that got no usable answer: the connector's, except that a request
// cut short by the doctor's own bound says so (the connector would say it is shutting down).
QString probeError(const HttpResponse &response, const QUrl &url);

} // namespace antibody

#pragma once

#include "connectors/http/httpexchange.h"
#include "connectors/http/httpoptions.h"

#include <memory>

namespace antibody {

class Cancellation;

// The one place where libcurl handles are created and configured: TLS
// verification, timeouts, allowed protocols, redirect limits, the response cap,
// credentials and the redacted trace all come from the session's HttpOptions,
// so no request can go out without them. A session shares DNS answers, TLS
// sessions and open connections between its requests (keep-alive for pollers).
// perform() blocks: call it on a worker thread. Thread-safe.
class CurlSession
{
public:
    explicit CurlSession(HttpOptions options);
    ~CurlSession();

    CurlSession(const CurlSession &) = delete;
    CurlSession &operator=(const CurlSession &) = delete;

    // One attempt, no retry. Transport failures and over-size responses come back
    // as a Failure with an error naming the URL (without credentials) and what to do.
    HttpResponse perform(const HttpRequest &request, const Cancellation &cancellation) const;

    const HttpOptions &options() const { return m_options; }

private:
    struct Shared;
    HttpOptions m_options;
    std::unique_ptr<Shared> m_shared;
};

} // namespace antibody

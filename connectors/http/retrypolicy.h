#pragma once

#include "connectors/http/httpexchange.h"
#include "connectors/http/httpoptions.h"

namespace antibody {

// When to try a request again, and how long to wait first.
class RetryPolicy
{
public:
    explicit RetryPolicy(const HttpOptions &options);

    // Whether attempt number `attempt` (1-based) of `request` that ended in
    // `response` may be followed by another. Idempotent requests retry on
    // transport failures, 429 and 5xx; others only when nothing was sent.
    bool shouldRetry(const HttpRequest &request, const HttpResponse &response, int attempt) const;

    // The wait before attempt `attempt + 1`: exponential from the base, capped,
    // "equal jitter" (half fixed, half random) so pollers restarted together do not
    // retry in lockstep. `random01` in [0, 1). A server's Retry-After wins when
    // it is longer, up to the cap.
    Duration delay(int attempt, double random01, std::optional<Duration> retryAfter = std::nullopt) const;

    int maxAttempts() const { return m_maxAttempts; }

private:
    int m_maxAttempts;
    Duration m_base;
    Duration m_max;
};

} // namespace antibody

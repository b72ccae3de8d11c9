#include "connectors/http/retrypolicy.h"

#include <algorithm>
#include <cmath>

namespace antibody {

RetryPolicy::RetryPolicy(const HttpOptions &options)
    : m_maxAttempts(std::max(1, options.maxAttempts))
    , m_base(std::max(Duration { 1 }, options.retryBase))
    , m_max(std::max(options.retryBase, options.retryMax))
{
}

bool RetryPolicy::shouldRetry(const HttpRequest &request, const HttpResponse &response, int attempt) const
{
    if (attempt >= m_maxAttempts)
        return false;
    using F = HttpResponse::Failure;
    switch (response.failure) {
    case F::Cancelled:
    case F::TooLarge: // would be as large again
    case F::Tls: // a certificate does not fix itself in 200 ms
    case F::Refused:
        return false;
    case F::Connect:
        // Nothing reached the server: even a POST is safe to send again.
        return request.isIdempotent() || response.sentNothing;
    case F::Timeout:
    case F::Transfer:
        return request.isIdempotent();
    case F::None:
        break;
    }
    if (!request.isIdempotent())
        return false;
    return response.status == 429 || response.status == 502 || response.status == 503 || response.status == 504
        || response.status == 500;
}

Duration RetryPolicy::delay(int attempt, double random01, std::optional<Duration> retryAfter) const
{
    const int exponent = std::clamp(attempt - 1, 0, 20);
    const double raw = static_cast<double>(m_base.count()) * std::pow(2.0, exponent);
    const double capped = std::min(raw, static_cast<double>(m_max.count()));
    const double jittered = capped / 2.0 + capped / 2.0 * std::clamp(random01, 0.0, 1.0);
    Duration d { static_cast<qint64>(std::llround(jittered)) };
    if (retryAfter && *retryAfter > d)
        d = std::min(*retryAfter, m_max);
    return d;
}

} // namespace antibody

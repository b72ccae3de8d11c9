#pragma once

#include <chrono>

namespace antibody {

// How long a console waits before it tries the team server again: 1 s, 2 s, 4 s...
// up to 30 s, so that a server coming back is found within seconds while a long outage
// costs it a handful of attempts a minute from every console of the team.
class ReconnectBackoff
{
public:
    explicit ReconnectBackoff(std::chrono::milliseconds first = std::chrono::seconds(1),
        std::chrono::milliseconds longest = std::chrono::seconds(30));

    // The wait before the next attempt; each call doubles the one after it, up to the longest.
    std::chrono::milliseconds next();
    // A connection came up: the next outage starts again from the first wait.
    void reset() { m_current = {}; }

private:
    std::chrono::milliseconds m_first;
    std::chrono::milliseconds m_longest;
    std::chrono::milliseconds m_current {};
};

} // namespace antibody

#include "client/reconnectbackoff.h"

#include <algorithm>

namespace antibody {

ReconnectBackoff::ReconnectBackoff(std::chrono::milliseconds first, std::chrono::milliseconds longest)
    : m_first(first)
    , m_longest(std::max(first, longest))
{
}

std::chrono::milliseconds ReconnectBackoff::next()
{
    m_current = m_current.count() == 0 ? m_first : std::min(m_current * 2, m_longest);
    return m_current;
}

} // namespace antibody

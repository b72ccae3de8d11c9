#include "engine/domain/breaker.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString breakerStateText(BreakerState::State s)
{
    switch (s) {
    case BreakerState::State::Closed:
        return u"closed"_s;
    case BreakerState::State::Open:
        return u"open"_s;
    case BreakerState::State::HalfOpen:
        return u"half-open"_s;
    }
    return {};
}

BreakerState::State breakerStateFromText(const QString &text)
{
    for (const auto s : { BreakerState::State::Open, BreakerState::State::HalfOpen }) {
        if (text == breakerStateText(s))
            return s;
    }
    return BreakerState::State::Closed;
}

} // namespace antibody

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

} // namespace antibody

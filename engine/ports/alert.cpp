#include "engine/ports/alert.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString feedStateText(FeedHealth::State s)
{
    switch (s) {
    case FeedHealth::State::Healthy:
        return u"healthy"_s;
    case FeedHealth::State::Degraded:
        return u"degraded"_s;
    case FeedHealth::State::Down:
        return u"down"_s;
    }
    return {};
}

} // namespace antibody

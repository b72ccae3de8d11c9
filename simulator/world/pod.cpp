#include "simulator/world/pod.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {

QString podPhaseText(PodPhase phase)
{
    switch (phase) {
    case PodPhase::Running:
        return u"running"_s;
    case PodPhase::Starting:
        return u"starting"_s;
    case PodPhase::CrashLoop:
        return u"crashloop"_s;
    case PodPhase::Terminating:
        return u"terminating"_s;
    }
    return {};
}

} // namespace antibody::sim

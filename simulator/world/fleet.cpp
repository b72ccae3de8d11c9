#include "simulator/world/fleet.h"

namespace antibody::sim {
namespace {

template <typename List, typename Item = std::remove_reference_t<decltype(std::declval<List &>().front())>>
Item *findNamed(List &list, QStringView name)
{
    for (auto &item : list) {
        if (item.name == name)
            return &item;
    }
    return nullptr;
}

template <typename Pointer, typename List> QList<Pointer> podsIn(List &pods, QStringView serviceName)
{
    QList<Pointer> out;
    for (auto &p : pods) {
        if (p.service == serviceName)
            out << &p;
    }
    return out;
}

} // namespace

Service *FleetState::service(QStringView name)
{
    return findNamed(services, name);
}

const Service *FleetState::service(QStringView name) const
{
    return findNamed(services, name);
}

Pod *FleetState::pod(QStringView name)
{
    return findNamed(pods, name);
}

const Pod *FleetState::pod(QStringView name) const
{
    return findNamed(pods, name);
}

Region *FleetState::region(QStringView name)
{
    return findNamed(regions, name);
}

const Region *FleetState::region(QStringView name) const
{
    return findNamed(regions, name);
}

Host *FleetState::host(QStringView name)
{
    return findNamed(hosts, name);
}

Certificate *FleetState::certificate(QStringView name)
{
    return findNamed(certificates, name);
}

QList<Pod *> FleetState::podsOf(QStringView serviceName)
{
    return podsIn<Pod *>(pods, serviceName);
}

QList<const Pod *> FleetState::podsOf(QStringView serviceName) const
{
    return podsIn<const Pod *>(pods, serviceName);
}

} // namespace antibody::sim

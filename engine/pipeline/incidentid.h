#pragma once

#include <QString>

class QRandomGenerator;

namespace antibody {

// Incident ids: `INC-` and 128 random bits in hex. Ids used to be 24 bits of a hash
// of the alert and the millisecond, and two processes, two runs of one scenario or
// a busy database drew one twice (review finding #4). Random ids cannot be derived
// alike by two processes, so "one incident per problem" across processes is the
// store's to enforce (Store::openIncident), not the id's.
class IncidentId
{
public:
    static QString generate();
    // From a seeded generator: the simulator's, so that a seed repeats its timeline.
    static QString generate(QRandomGenerator &random);
    // What lists and timelines show: `INC-` and the first 8 hex digits, as git shows
    // commits. The full id is what is stored, paged and accepted by `--open`; ids
    // in another form (tests, older databases) are shown whole.
    static QString shortForm(const QString &id);
    static constexpr qsizetype shortDigits = 8;
};

} // namespace antibody

#pragma once

#include "engine/core/time.h"
#include "engine/ports/store.h"
#include "engine/runbook/diagnostic.h"
#include "engine/runbook/runbook.h"

#include <QString>
#include <optional>

namespace antibody {

// The seed's monthly drills: a runbook whose last drill is older than 30 days (or
// failed, or never ran) is flagged, in the editor's tree and by `antibodyctl lint`.
class DrillSchedule
{
public:
    static constexpr Duration maxAge = std::chrono::days(30);

    enum class Status {
        Fresh, // passed within maxAge
        Failed, // the last drill failed
        Overdue, // the last drill is older than maxAge
        Never, // no drill on record
    };

    static Status status(const std::optional<DrillResult> &last, TimePoint now);
    static bool isFlagged(Status s) { return s != Status::Fresh; }
    // For the tree: "passed 3 days ago", "failed 2 hours ago", "never drilled".
    static QString summary(const std::optional<DrillResult> &last, TimePoint now);
    // For lint and the editor's status line, with what to do:
    // "last drilled 41 days ago (2026-10-17); drills are due monthly: antibodyctl drill FILE".
    static QString warning(const std::optional<DrillResult> &last, TimePoint now, const QString &file);
    // "3 days", "5 hours", "12 minutes", "just now"
    static QString age(Duration d);
    // What `antibodyctl lint` reports for a runbook whose drill is due: a `drill-overdue`
    // warning at its `drill:` key (or its `name:`), or nothing when it is fresh.
    static std::optional<Diagnostic> overdue(
        const Runbook &runbook, const std::optional<DrillResult> &last, TimePoint now);
};

} // namespace antibody

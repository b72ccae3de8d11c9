#pragma once

#include "engine/runbook/diagnostic.h"

#include <QList>
#include <QString>

namespace antibody {

// Every problem the runbook loader reports, in one list: the loader, the docs check and
// the table-driven tests all read it, so a code cannot exist undocumented or untested.
// Codes are stable: tools and people grep for them. Add new ones; never rename.
enum class DiagnosticCode {
    // the bytes and the YAML
    IoError,
    FileTooLarge,
    EmptyFile,
    InvalidUtf8,
    ControlCharacter,
    TabIndent,
    TooDeep,
    YamlSyntax,
    MultipleDocuments,
    DuplicateKey,
    RecursiveAlias,
    AliasBomb,
    TooManyProblems,
    // the shape of the runbook
    UnknownKey,
    MissingKey,
    ConflictingKeys,
    WrongType,
    OutOfRange,
    InvalidName,
    InvalidDuration,
    InvalidChoice,
    NoSteps,
    InvalidTrigger,
    // actions and their parameters
    UnknownAction,
    NeverAutomate,
    WaitsForApproval,
    UnknownParam,
    MissingParam,
    OneOfParams,
    InvalidParam,
    // blast radius and targets
    MissingBlastRadius,
    WrongDimension,
    InvalidCap,
    NeedlessBlastRadius,
    InvalidSelector,
    // conditions
    InvalidCondition,
    UnknownStep,
    ForwardReference,
    UnknownOutcome,
    InvalidReference,
    UnknownFactValue,
    FactTypeMismatch,
    // policy and the library
    NoEscalation,
    NeedsHighConfidence,
    DuplicateStep,
    DuplicateRunbook,
    // drills (antibodyctl lint with a drill history)
    DrillOverdue,
};

struct DiagnosticCodeInfo
{
    DiagnosticCode code;
    QString name; // "unknown-key"
    Diagnostic::Severity severity;
    QString summary; // one line for the docs
};

const QList<DiagnosticCodeInfo> &diagnosticCodes();
const DiagnosticCodeInfo &diagnosticCodeInfo(DiagnosticCode code);

} // namespace antibody

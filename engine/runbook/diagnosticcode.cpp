#include "engine/runbook/diagnosticcode.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

using C = DiagnosticCode;
constexpr auto E = Diagnostic::Severity::Error;
constexpr auto W = Diagnostic::Severity::Warning;

QList<DiagnosticCodeInfo> buildCodes()
{
    return {
        { C::IoError, u"io-error"_s, E, u"The file or folder cannot be read."_s },
        { C::FileTooLarge, u"file-too-large"_s, E, u"The file is over 1 MiB; no runbook is that long."_s },
        { C::EmptyFile, u"empty-file"_s, E, u"The file holds nothing but blank lines or comments."_s },
        { C::InvalidUtf8, u"invalid-utf8"_s, E, u"The bytes are not valid UTF-8."_s },
        { C::ControlCharacter, u"control-character"_s, E,
            u"A control character (NUL, ESC...) that YAML does not allow in a file."_s },
        { C::TabIndent, u"tab-indent"_s, E, u"A line is indented with a tab; YAML indentation is spaces only."_s },
        { C::TooDeep, u"too-deep"_s, E, u"Collections are nested deeper than 32 levels."_s },
        { C::YamlSyntax, u"yaml-syntax"_s, E, u"The text is not valid YAML."_s },
        { C::MultipleDocuments, u"multiple-documents"_s, E,
            u"The file holds more than one YAML document; a runbook is one per file."_s },
        { C::DuplicateKey, u"duplicate-key"_s, E, u"A key appears twice in one mapping; neither value is used."_s },
        { C::RecursiveAlias, u"recursive-alias"_s, E, u"An alias refers to the node that contains it."_s },
        { C::AliasBomb, u"alias-bomb"_s, E, u"Aliases expand the document beyond 100,000 nodes."_s },
        { C::TooManyProblems, u"too-many-problems"_s, E, u"More than 200 problems; the rest are not listed."_s },
        { C::UnknownKey, u"unknown-key"_s, E,
            u"A key the format does not know (often a typo: a suggestion follows)."_s },
        { C::MissingKey, u"missing-key"_s, E, u"A required key is absent."_s },
        { C::ConflictingKeys, u"conflicting-keys"_s, E,
            u"Keys that exclude each other are both given (`alert:` and `any:`)."_s },
        { C::WrongType, u"wrong-type"_s, E, u"A value has the wrong YAML type (a list where a mapping belongs...)."_s },
        { C::OutOfRange, u"out-of-range"_s, E, u"A number is outside its allowed range (`level` is 0 to 4...)."_s },
        { C::InvalidName, u"invalid-name"_s, E,
            u"A runbook, step or guard name is not a plain identifier, or a `services` item not a DNS-1123 name."_s },
        { C::InvalidDuration, u"invalid-duration"_s, E,
            u"A duration is not of the form 300s, 5m, 1h30m, 250ms or 14d."_s },
        { C::InvalidChoice, u"invalid-choice"_s, E, u"A value is not one of the allowed words."_s },
        { C::NoSteps, u"no-steps"_s, E, u"`steps:` is empty."_s },
        { C::InvalidTrigger, u"invalid-trigger"_s, E,
            u"A trigger expression does not parse, or has the wrong form for its key."_s },
        { C::UnknownAction, u"unknown-action"_s, E, u"The action is not in the catalog."_s },
        { C::NeverAutomate, u"never-automate"_s, E, u"The action is never-tier: no runbook may run it."_s },
        { C::WaitsForApproval, u"waits-for-approval"_s, W,
            u"An approve-tier action in a level 3+ runbook: that step will wait for a human."_s },
        { C::UnknownParam, u"unknown-param"_s, E, u"The action has no such parameter."_s },
        { C::MissingParam, u"missing-param"_s, E, u"A required parameter is absent."_s },
        { C::OneOfParams, u"one-of-params"_s, E,
            u"Exactly one of a set of parameters must be given (`below` or `above`)."_s },
        { C::InvalidParam, u"invalid-param"_s, E, u"A parameter value does not fit its type."_s },
        { C::MissingBlastRadius, u"missing-blast-radius"_s, E, u"A mutating step has no `blast_radius`."_s },
        { C::WrongDimension, u"wrong-dimension"_s, E,
            u"The blast radius caps a dimension the action does not touch."_s },
        { C::InvalidCap, u"invalid-cap"_s, E,
            u"A cap is neither a percentage in (0%, 100%] nor a whole number of at least 1."_s },
        { C::NeedlessBlastRadius, u"needless-blast-radius"_s, W, u"A blast radius on a step that changes nothing."_s },
        { C::InvalidSelector, u"invalid-selector"_s, E, u"`targets.match` is not a set of label matchers."_s },
        { C::InvalidCondition, u"invalid-condition"_s, E, u"A condition does not parse."_s },
        { C::UnknownStep, u"unknown-step"_s, E, u"A condition names a step that does not exist."_s },
        { C::ForwardReference, u"forward-reference"_s, E, u"A condition names its own step or a later one."_s },
        { C::UnknownOutcome, u"unknown-outcome"_s, E,
            u"A condition reads an outcome or fact the step's action does not have."_s },
        { C::InvalidReference, u"invalid-reference"_s, E,
            u"A condition path has the wrong shape (`step.outcome`, `alert.label`)."_s },
        { C::UnknownFactValue, u"unknown-fact-value"_s, E,
            u"A condition compares a fact with a value it never takes."_s },
        { C::FactTypeMismatch, u"fact-type-mismatch"_s, E,
            u"A condition compares a fact with a value of another type."_s },
        { C::NoEscalation, u"no-escalation"_s, E,
            u"A level 3+ runbook has no `page_oncall` step that runs on failure."_s },
        { C::NeedsHighConfidence, u"needs-high-confidence"_s, E,
            u"A level 3+ runbook's trigger is not `confidence: high`."_s },
        { C::DuplicateStep, u"duplicate-step"_s, E, u"Two steps share a name."_s },
        { C::DuplicateRunbook, u"duplicate-runbook"_s, E, u"Two runbooks in the library share a name."_s },
        { C::DrillOverdue, u"drill-overdue"_s, W,
            u"No passing drill of the runbook in the last 30 days (with a drill history: `antibodyctl lint --data-dir`)."_s },
    };
}

} // namespace

const QList<DiagnosticCodeInfo> &diagnosticCodes()
{
    static const QList<DiagnosticCodeInfo> codes = buildCodes();
    return codes;
}

const DiagnosticCodeInfo &diagnosticCodeInfo(DiagnosticCode code)
{
    return diagnosticCodes().at(static_cast<qsizetype>(code));
}

} // namespace antibody

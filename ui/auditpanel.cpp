#include "ui/auditpanel.h"

#include "models/eventfilter.h"
#include "models/eventlogmodel.h"
#include "ui/recordtable.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QThreadPool>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

using Kind = EngineEvent::Kind;

struct KindGroup
{
    const char *name;
    QList<Kind> kinds;
};

const QList<KindGroup> &kindGroups()
{
    static const QList<KindGroup> groups {
        { QT_TRANSLATE_NOOP("AuditPanel", "Every event"), {} },
        { QT_TRANSLATE_NOOP("AuditPanel", "Decisions and approvals"),
            { Kind::Proposed, Kind::RunRequested, Kind::ApprovalRequested, Kind::Approved, Kind::Denied,
                Kind::ApprovalRefused, Kind::GuardrailBlocked } },
        { QT_TRANSLATE_NOOP("AuditPanel", "Execution"),
            { Kind::StepStarted, Kind::StepFinished, Kind::StepSkipped, Kind::LateResult, Kind::CooldownStarted,
                Kind::Cancelled, Kind::Interrupted } },
        { QT_TRANSLATE_NOOP("AuditPanel", "Incidents"),
            { Kind::Detected, Kind::Diagnosed, Kind::Resolved, Kind::Escalated, Kind::StateChanged } },
        { QT_TRANSLATE_NOOP("AuditPanel", "Circuit breakers"),
            { Kind::BreakerOpened, Kind::BreakerHalfOpen, Kind::BreakerClosed, Kind::BreakerReset } },
        { QT_TRANSLATE_NOOP("AuditPanel", "Pages and notices"), { Kind::Paged, Kind::Notified } },
        { QT_TRANSLATE_NOOP("AuditPanel", "Feeds and runbooks"),
            { Kind::FeedChanged, Kind::RunbookLoaded, Kind::RunbookRejected, Kind::RunbookInstalled } },
        { QT_TRANSLATE_NOOP("AuditPanel", "Access"), { Kind::TokenCreated, Kind::TokenRevoked, Kind::PolicyRefused } },
    };
    return groups;
}

} // namespace

AuditPanel::AuditPanel(EventLogModel *events, QWidget *parent)
    : QWidget(parent)
    , m_events(events)
    , m_filter(new EventFilter(this))
    , m_search(new QLineEdit(this))
    , m_kinds(new QComboBox(this))
    , m_table(new RecordTable(u"auditTable"_s, m_filter, this))
    , m_export(new QPushButton(tr("Export…"), this))
    , m_status(new QLabel(this))
    , m_askPath([](QWidget *parent) {
        return QFileDialog::getSaveFileName(parent, tr("Export the audit log"),
            QDir::home().filePath(u"antibody-audit.csv"_s), tr("CSV (*.csv);;JSON Lines (*.jsonl)"));
    })
{
    m_filter->setSourceModel(events);
    m_search->setObjectName(u"auditSearch"_s);
    m_search->setPlaceholderText(tr("Search the audit log: incident, approver, step, target…"));
    m_search->setClearButtonEnabled(true);
    m_kinds->setObjectName(u"auditKinds"_s);
    for (const KindGroup &g : kindGroups())
        m_kinds->addItem(tr(g.name));
    m_export->setObjectName(u"exportAuditButton"_s);
    m_export->setToolTip(tr("Write the events shown to a CSV or JSON Lines file (Ctrl+E)"));
    m_status->setObjectName(u"auditStatus"_s);
    m_status->setWordWrap(true);
    m_status->setText(tr("Events the engine published since this console started, oldest first."));

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_kinds);
    top->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    connect(m_search, &QLineEdit::textChanged, m_filter, &EventFilter::setSearchText);
    connect(m_kinds, &QComboBox::currentIndexChanged, this, [this](int index) {
        const auto &kinds = kindGroups().at(index).kinds;
        m_filter->setKinds(QSet<Kind>(kinds.cbegin(), kinds.cend()));
    });
    connect(m_export, &QPushButton::clicked, this, &AuditPanel::exportShown);
}

void AuditPanel::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void AuditPanel::exportShown()
{
    const QString path = m_askPath(this);
    if (path.isEmpty())
        return;
    const auto format = EventLogExport::formatFor(path);
    if (!format) {
        finishExport({ false, 0, tr("%1: unknown file type. Name the file .csv or .jsonl.").arg(path) }, path);
        return;
    }
    QList<EngineEvent> shown;
    shown.reserve(m_filter->rowCount());
    for (int row = 0; row < m_filter->rowCount(); ++row)
        shown << m_events->event(m_filter->mapToSource(m_filter->index(row, 0)).row());
    m_export->setEnabled(false);
    m_status->setText(tr("Writing %1 events to %2…").arg(shown.size()).arg(path));
    QPointer<AuditPanel> self(this);
    // Disk work off the GUI thread; the answer comes back to it through the application object.
    QThreadPool::globalInstance()->start([self, shown, path, format] {
        const EventLogExport::Result result = EventLogExport::write(shown, path, *format);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, result, path] {
            if (self)
                self->finishExport(result, path);
        });
    });
}

void AuditPanel::finishExport(const EventLogExport::Result &result, const QString &path)
{
    m_export->setEnabled(true);
    const QString message = result.ok ? tr("Exported %1 events to %2.").arg(result.written).arg(path) : result.error;
    m_status->setText(message);
    Q_EMIT exported(result.ok, message);
}

} // namespace antibody

#pragma once

#include <QWidget>
#include <functional>

class QPushButton;
class QTableView;

namespace antibody {

class BreakerModel;
class EngineCommands;

// The circuit breakers: which remediations automation has stopped trusting, how
// many failures it counted, and a reset (after confirmation) that the engine
// records in the audit log with who reset it.
class BreakerPanel : public QWidget
{
    Q_OBJECT
public:
    // Asks the engineer to confirm a reset; returns true to go ahead.
    using Confirm = std::function<bool(QWidget *parent, const QString &title, const QString &text)>;

    BreakerPanel(BreakerModel *breakers, EngineCommands *commands, QWidget *parent = nullptr);
    // Tests replace the dialog; the default asks with a QMessageBox.
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    QTableView *table() const { return m_table; }

private:
    void resetSelected();
    void updateButton();

    BreakerModel *m_breakers;
    EngineCommands *m_commands;
    QTableView *m_table;
    QPushButton *m_reset;
    Confirm m_confirm;
};

} // namespace antibody

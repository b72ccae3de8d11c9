#pragma once

#include <QString>

class QLabel;
class QWidget;

namespace antibody {

// A wrapping label whose text can be selected and copied (into a ticket, a chat):
// what the proposal card and the dry-run and drill panels are made of.
QLabel *selectableLabel(QWidget *parent, const QString &objectName);
// A bold heading over a part of a panel ("Plan", "Guardrails").
QLabel *sectionTitle(const QString &text, QWidget *parent);

} // namespace antibody

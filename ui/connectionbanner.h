#pragma once

#include "models/link/connectionstate.h"

#include <QFrame>
#include <QTimer>

class QLabel;

namespace antibody {

// The band across the top of the window while the team server is out of reach (or
// sends what the console cannot read): which server, why, and when the console tries
// again, counting down. Hidden while all is well and for the engine in-process.
class ConnectionBanner : public QFrame
{
    Q_OBJECT
public:
    explicit ConnectionBanner(QWidget *parent = nullptr);

    void setState(const ConnectionState &state);
    QString text() const;

private:
    void refresh();

    ConnectionState m_state;
    QLabel *m_text;
    QTimer m_countdown;
};

} // namespace antibody

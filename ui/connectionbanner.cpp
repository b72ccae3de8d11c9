#include "ui/connectionbanner.h"

#include "models/present/connectionnotice.h"
#include "ui/consolepalette.h"

#include <QHBoxLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace antibody {

ConnectionBanner::ConnectionBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
{
    setObjectName(u"connectionBanner"_s);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(u"connectionBannerText"_s);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse); // the reason can be pasted into a chat
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_text, 1);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &ConnectionBanner::refresh);
    hide();
}

void ConnectionBanner::setState(const ConnectionState &state)
{
    m_state = state;
    refresh();
}

QString ConnectionBanner::text() const
{
    return m_text->text();
}

void ConnectionBanner::refresh()
{
    const QString text = ConnectionNotice::banner(m_state, QDateTime::currentDateTime());
    setVisible(!text.isEmpty());
    if (text.isEmpty()) {
        m_countdown.stop();
        return;
    }
    // Out of reach is red, like anything that stops a decision; a bad record is amber.
    const ConsolePalette colours = ConsolePalette::from(palette());
    const bool lost = !m_state.canDecide();
    QPalette p = palette();
    p.setColor(QPalette::Window, lost ? colours.blocked : colours.bannerBackground);
    p.setColor(QPalette::WindowText, lost ? QColor(Qt::white) : colours.bannerText);
    setPalette(p);
    m_text->setText(text);
    if (m_state.phase == ConnectionState::Phase::Reconnecting && !m_countdown.isActive())
        m_countdown.start();
}

} // namespace antibody

#include "ui/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <optional>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

std::optional<QPalette> &systemPalette()
{
    static std::optional<QPalette> palette;
    return palette;
}

} // namespace

void Theme::rememberSystemPalette()
{
    if (!systemPalette())
        systemPalette() = QApplication::palette();
}

void Theme::apply(Choice choice)
{
    rememberSystemPalette();
    switch (choice) {
    case Choice::System:
        QApplication::setPalette(*systemPalette());
        break;
    case Choice::Light:
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(light());
        break;
    case Choice::Dark:
        // Fusion draws every control from the palette: the only style that is dark everywhere.
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(dark());
        break;
    }
}

QString Theme::name(Choice choice)
{
    switch (choice) {
    case Choice::Light:
        return u"light"_s;
    case Choice::Dark:
        return u"dark"_s;
    case Choice::System:
        break;
    }
    return u"system"_s;
}

Theme::Choice Theme::fromName(const QString &name)
{
    if (name == u"light"_s)
        return Choice::Light;
    if (name == u"dark"_s)
        return Choice::Dark;
    return Choice::System;
}

QPalette Theme::light()
{
    QPalette p(QColor(0xef, 0xf0, 0xf1));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf5, 0xf6, 0xf7));
    p.setColor(QPalette::Text, QColor(0x1d, 0x1f, 0x21));
    p.setColor(QPalette::WindowText, QColor(0x1d, 0x1f, 0x21));
    p.setColor(QPalette::ButtonText, QColor(0x1d, 0x1f, 0x21));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x6a, 0x70, 0x76));
    return p;
}

QPalette Theme::dark()
{
    const QColor window(0x25, 0x27, 0x2b);
    const QColor base(0x1b, 0x1d, 0x20);
    const QColor text(0xe3, 0xe5, 0xe8);
    QPalette p(window);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x23, 0x26, 0x2a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x31, 0x34, 0x39));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, QColor(0x31, 0x34, 0x39));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xe6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::Mid, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3d, 0x42));
    p.setColor(QPalette::Light, QColor(0x45, 0x48, 0x4d));
    p.setColor(QPalette::Dark, QColor(0x15, 0x16, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x7a, 0x7e, 0x83));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x7a, 0x7e, 0x83));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x7a, 0x7e, 0x83));
    return p;
}

} // namespace antibody

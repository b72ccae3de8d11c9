#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace antibody {

// Colours a runbook's YAML: keys, list dashes, strings, numbers with their units
// (300s, 15%), booleans, comments, and action names by their tier (a safe action
// calm, an approve-tier one amber, a never-tier one red), so a risky step stands
// out while it is being written.
class YamlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit YamlHighlighter(QTextDocument *document);

protected:
    void highlightBlock(const QString &text) override;

private:
    void setupFormats();

    QTextCharFormat m_key;
    QTextCharFormat m_dash;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_keyword;
    QTextCharFormat m_comment;
    QTextCharFormat m_safeAction;
    QTextCharFormat m_approveAction;
    QTextCharFormat m_neverAction;
};

} // namespace antibody

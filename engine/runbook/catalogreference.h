#pragma once

#include <QByteArray>
#include <QString>

namespace antibody {

// The action catalog rendered for people and tools. `antibodyctl catalog` prints these;
// docs/runbook-format.md embeds the Markdown between marker comments, and a test fails
// when the checked-in copy differs from what the catalog renders now.
QString catalogText();
QString catalogMarkdown();
QByteArray catalogJson();

} // namespace antibody

#include "engine/runbook/yamldocument.h"

#include "engine/runbook/yamlprescan.h"

#include <QHash>
#include <sstream>
#include <unordered_map>
#include <vector>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Thrown from inside the event handler to stop yaml-cpp once the answer is known.
struct StopParsing
{
};

class TreeBuilder : public YAML::EventHandler
{
public:
    TreeBuilder(const QByteArray &bytes, const LineIndex &index, DiagnosticReport &report, const YamlContent &content)
        : m_bytes(bytes)
        , m_index(index)
        , m_report(report)
        , m_content(content)
    {
    }

    std::shared_ptr<YamlNode> root() const { return m_root; }
    bool hasAliases() const { return m_firstAlias.line > 0; }
    SourceLocation firstAlias() const { return m_firstAlias; }

    void OnDocumentStart(const YAML::Mark &) override { }
    void OnDocumentEnd() override { }

    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        auto node = make(YamlNode::Kind::Null, mark);
        // A missing value ("key:" and nothing) is reported where its key is.
        if (!m_stack.empty() && m_stack.back().node->isMap() && m_stack.back().haveKey)
            node->location = m_stack.back().keyLocation;
        remember(anchor, node);
        attach(node);
    }

    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        const SourceLocation where = locate(mark);
        if (m_firstAlias.line == 0)
            m_firstAlias = where;
        const auto it = m_anchors.find(anchor);
        if (it == m_anchors.end()) { // yaml-cpp reports undefined anchors itself; be safe
            attach(make(YamlNode::Kind::Null, mark));
            return;
        }
        if (m_open.contains(it->second.get())) {
            m_report.add(DiagnosticCode::RecursiveAlias, where, u"this alias refers to a node that contains it"_s,
                u"an alias may only repeat a finished node; a node cannot contain itself"_s);
            throw StopParsing {};
        }
        attach(it->second);
    }

    void OnScalar(
        const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor, const std::string &value) override
    {
        auto node = make(YamlNode::Kind::Scalar, mark);
        node->scalar = QString::fromStdString(value);
        node->style = styleAt(mark.pos);
        node->oneLineText = oneLineText(mark.pos, node->style, value);
        // A plain ~, null or nothing is YAML's null; a quoted "null" is text.
        if (tag == "?" && (value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL"))
            node->kind = YamlNode::Kind::Null;
        remember(anchor, node);
        attach(node);
    }

    void OnSequenceStart(
        const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor, YAML::EmitterStyle::value) override
    {
        open(make(YamlNode::Kind::Sequence, mark), anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(
        const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor, YAML::EmitterStyle::value) override
    {
        open(make(YamlNode::Kind::Map, mark), anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame
    {
        std::shared_ptr<YamlNode> node;
        bool haveKey = false;
        bool skipValue = false; // the key was not a plain scalar: its value is dropped
        QString key;
        SourceLocation keyLocation;
        QHash<QString, int> keyLines; // a mapping's keys so far, and the line of each
    };

    SourceLocation locate(const YAML::Mark &mark) const
    {
        return mark.pos < 0 ? SourceLocation { 1, 1 } : m_index.locate(mark.pos);
    }

    // Skips an anchor or tag written before a scalar: `&a "text"`.
    qsizetype afterProperties(qsizetype pos) const
    {
        while (pos >= 0 && pos < m_bytes.size() && (m_bytes[pos] == '&' || m_bytes[pos] == '!')) {
            while (pos < m_bytes.size() && m_bytes[pos] != ' ' && m_bytes[pos] != '\n')
                ++pos;
            while (pos < m_bytes.size() && m_bytes[pos] == ' ')
                ++pos;
        }
        return pos;
    }

    YamlNode::Style styleAt(qsizetype pos) const
    {
        pos = afterProperties(pos);
        if (pos < 0 || pos >= m_bytes.size())
            return YamlNode::Style::Plain;
        switch (m_bytes[pos]) {
        case '"':
        case '\'':
            return YamlNode::Style::Quoted;
        case '|':
        case '>':
            return YamlNode::Style::Block;
        default:
            return YamlNode::Style::Plain;
        }
    }

    // Where a scalar's text starts if the file holds it on one line; {} when it is folded
    // over several lines (its text then has a space where the file has a line break).
    SourceLocation oneLineText(qsizetype pos, YamlNode::Style style, const std::string &value) const
    {
        pos = afterProperties(pos);
        if (pos < 0 || pos >= m_bytes.size() || style == YamlNode::Style::Block)
            return {};
        if (style == YamlNode::Style::Plain) { // no escapes: on one line exactly when the bytes are the text
            const QByteArrayView text(value.data(), static_cast<qsizetype>(value.size()));
            return QByteArrayView(m_bytes).sliced(pos).startsWith(text) ? m_index.locate(pos) : SourceLocation {};
        }
        const char quote = m_bytes[pos];
        for (qsizetype i = pos + 1; i < m_bytes.size() && m_bytes[i] != '\n'; ++i) {
            const char next = i + 1 < m_bytes.size() ? m_bytes[i + 1] : '\n';
            const bool escape = quote == '"' ? m_bytes[i] == '\\' : m_bytes[i] == '\'' && next == '\'';
            if (escape && next != '\n') {
                ++i; // `\x` in double quotes, `''` in single quotes
                continue;
            }
            if (m_bytes[i] == quote)
                return m_index.locate(pos);
        }
        return {};
    }

    std::shared_ptr<YamlNode> make(YamlNode::Kind kind, const YAML::Mark &mark)
    {
        if (++m_nodes > maxYamlNodes) {
            m_report.add(DiagnosticCode::FileTooLarge, locate(mark),
                u"the file holds more than %1 YAML nodes"_s.arg(maxYamlNodes),
                u"a %1 has a few hundred; split the file or remove generated content"_s.arg(m_content.noun));
            throw StopParsing {};
        }
        auto node = std::make_shared<YamlNode>();
        node->kind = kind;
        node->location = locate(mark);
        return node;
    }

    void remember(YAML::anchor_t anchor, const std::shared_ptr<YamlNode> &node)
    {
        if (anchor != YAML::NullAnchor)
            m_anchors[anchor] = node;
    }

    void open(const std::shared_ptr<YamlNode> &node, YAML::anchor_t anchor)
    {
        if (static_cast<int>(m_stack.size()) >= maxYamlDepth) { // the byte scan should have caught it already
            m_report.add(DiagnosticCode::TooDeep, node->location,
                u"collections are nested more than %1 levels deep here"_s.arg(maxYamlDepth),
                u"a %1 needs about %2 levels; flatten this structure"_s.arg(m_content.noun)
                    .arg(m_content.typicalDepth));
            throw StopParsing {};
        }
        remember(anchor, node);
        m_open.insert(node.get());
        Frame frame;
        frame.node = node;
        m_stack.push_back(std::move(frame));
    }

    void close()
    {
        if (m_stack.empty())
            return;
        const std::shared_ptr<YamlNode> node = m_stack.back().node;
        m_stack.pop_back();
        m_open.remove(node.get());
        attach(node);
    }

    void attach(const std::shared_ptr<YamlNode> &node)
    {
        if (m_stack.empty()) {
            m_root = node;
            return;
        }
        Frame &parent = m_stack.back();
        if (parent.node->isSequence()) {
            parent.node->items << node;
            return;
        }
        if (!parent.haveKey) {
            parent.haveKey = true;
            parent.skipValue = !node->isScalar() && !node->isNull();
            parent.key = node->isScalar() ? node->scalar : QString();
            parent.keyLocation = node->location;
            if (parent.skipValue)
                m_report.add(DiagnosticCode::WrongType, node->location,
                    u"a mapping key must be a plain word, found %1"_s.arg(node->describe()),
                    u"write `key: value`; lists and mappings cannot be keys"_s);
            return;
        }
        parent.haveKey = false;
        if (parent.skipValue)
            return;
        YamlNode &map = *parent.node;
        const auto first = parent.keyLines.constFind(parent.key);
        if (first != parent.keyLines.constEnd()) {
            map.duplicateKeys.insert(parent.key);
            m_report.add(DiagnosticCode::DuplicateKey, parent.keyLocation,
                u"key `%1` appears twice in this mapping (first on line %2); neither value is used"_s.arg(
                    parent.key, QString::number(first.value())),
                u"keep one `%1:` and delete the other"_s.arg(parent.key));
        } else {
            parent.keyLines.insert(parent.key, parent.keyLocation.line);
        }
        map.entries << YamlNode::Entry { parent.key, parent.keyLocation, node };
    }

    const QByteArray &m_bytes;
    const LineIndex &m_index;
    DiagnosticReport &m_report;
    const YamlContent &m_content;
    std::vector<Frame> m_stack;
    std::unordered_map<YAML::anchor_t, std::shared_ptr<YamlNode>> m_anchors;
    QSet<const YamlNode *> m_open;
    std::shared_ptr<YamlNode> m_root;
    SourceLocation m_firstAlias;
    int m_nodes = 0;
};

// Sees whether a second document follows, without keeping it.
class DocumentCounter : public YAML::EventHandler
{
public:
    bool started = false;
    YAML::Mark start;

    void OnDocumentStart(const YAML::Mark &mark) override
    {
        started = true;
        start = mark;
    }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark &, YAML::anchor_t) override { }
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override { }
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override { }
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {
    }
    void OnSequenceEnd() override { }
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override { }
    void OnMapEnd() override { }
};

// yaml-cpp's messages are terse; say what usually causes each one.
QString syntaxHint(const std::string &message)
{
    const QString m = QString::fromStdString(message);
    if (m.contains(u"flow not found"_s))
        return u"a `[` or `{` is not closed: add the matching `]` or `}`"_s;
    if (m.contains(u"anchor is not defined"_s))
        return u"define the anchor (`&name`) before the alias (`*name`) that repeats it"_s;
    if (m.contains(u"escape"_s))
        return u"inside double quotes write a backslash as `\\\\`, or use single quotes"_s;
    if (m.contains(u"map value"_s) || m.contains(u"end of map"_s) || m.contains(u"end of sequence"_s))
        return u"check this line's indentation against the lines above it, and quote values that contain `: ` or start with `[`, `{`, `*`, `&` or `!`"_s;
    return u"check the indentation and quoting around this point"_s;
}

// How many nodes the tree has with every alias expanded, stopping past `limit`.
qint64 expandedSize(const YamlNode *node, QHash<const YamlNode *, qint64> &memo, qint64 limit)
{
    if (const auto it = memo.constFind(node); it != memo.constEnd())
        return it.value();
    qint64 size = 1;
    for (const auto &item : node->items) {
        size += expandedSize(item.get(), memo, limit);
        if (size > limit)
            break;
    }
    for (const auto &entry : node->entries) {
        if (size > limit)
            break;
        size += 1 + expandedSize(entry.value.get(), memo, limit);
    }
    size = std::min(size, limit + 1);
    memo.insert(node, size);
    return size;
}

} // namespace

std::shared_ptr<const YamlNode> parseYaml(
    const QByteArray &utf8, const LineIndex &index, DiagnosticReport &report, const YamlContent &content)
{
    const auto syntaxError = [&](const YAML::Mark &mark, const std::string &message) {
        const SourceLocation where = mark.pos < 0 ? SourceLocation { 1, 1 } : index.locate(mark.pos);
        report.add(DiagnosticCode::YamlSyntax, where, u"invalid YAML: %1"_s.arg(QString::fromStdString(message)),
            syntaxHint(message));
    };
    std::istringstream stream(utf8.toStdString());
    TreeBuilder builder(utf8, index, report, content);
    try {
        YAML::Parser parser(stream);
        if (!parser.HandleNextDocument(builder) || !builder.root() || builder.root()->isNull()) {
            report.add(DiagnosticCode::EmptyFile, SourceLocation { 1, 1 }, u"the file holds no %1"_s.arg(content.noun),
                content.emptyHint);
            return nullptr;
        }
        DocumentCounter counter;
        try {
            parser.HandleNextDocument(counter);
        } catch (const YAML::Exception &) {
            // What follows the first document is broken; it is still a second document.
        }
        if (counter.started) {
            report.add(DiagnosticCode::MultipleDocuments, index.locate(std::max(counter.start.pos, 0)),
                u"a second YAML document starts here; a %1 file holds exactly one"_s.arg(content.noun),
                u"put each %1 in its own file, or remove the `---` line"_s.arg(content.noun));
            return nullptr;
        }
    } catch (const StopParsing &) {
        return nullptr;
    } catch (const YAML::Exception &e) {
        syntaxError(e.mark, e.msg);
        return nullptr;
    } catch (const std::exception &e) {
        syntaxError(YAML::Mark::null_mark(), e.what());
        return nullptr;
    }
    if (builder.hasAliases()) {
        QHash<const YamlNode *, qint64> memo;
        if (expandedSize(builder.root().get(), memo, maxYamlNodes) > maxYamlNodes) {
            report.add(DiagnosticCode::AliasBomb, builder.firstAlias(),
                u"aliases expand this document to more than %1 nodes"_s.arg(maxYamlNodes),
                u"an alias repeats a whole node; aliases of aliases multiply. Write the values out instead"_s);
            return nullptr;
        }
    }
    return builder.root();
}

std::shared_ptr<const YamlNode> readYamlDocument(
    const QByteArray &bytes, DiagnosticReport &report, const YamlContent &content)
{
    if (bytes.size() > content.maxBytes) {
        report.add(DiagnosticCode::FileTooLarge, SourceLocation { 1, 1 },
            u"the file is over %1 MiB, the limit for a %2"_s.arg(content.maxBytes / (1024 * 1024)).arg(content.noun),
            u"a %1 is a page or two of YAML: is this the right file?"_s.arg(content.noun));
        return nullptr;
    }
    static const QByteArray bom = QByteArrayLiteral("\xEF\xBB\xBF");
    const QByteArray text = bytes.startsWith(bom) ? bytes.mid(bom.size()) : bytes;
    const LineIndex index(text);
    if (!prescanYaml(text, index, report, content))
        return nullptr;
    return parseYaml(text, index, report, content);
}

} // namespace antibody

#include "models/present/connectionnotice.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace antibody {

using Phase = ConnectionState::Phase;

namespace {

// "no heartbeat for 40 s" -> "No heartbeat for 40 s.": reasons are written to follow a colon.
QString sentence(QString text)
{
    if (text.isEmpty())
        return text;
    text[0] = text.at(0).toUpper();
    return text.endsWith(u'.') ? text : text + u'.';
}

QString leaderOf(const ConnectionState &state)
{
    return state.leader.isEmpty() ? ConnectionNotice::tr("not known yet") : state.leader;
}

} // namespace

QString ConnectionNotice::approvalLabel(const ConnectionState &state)
{
    if (state.canDecide())
        return {};
    if (state.phase == Phase::SignInNeeded)
        return tr("Not signed in");
    return state.standingBy ? tr("Standing by") : tr("Disconnected");
}

QString ConnectionNotice::hostOf(const QString &server)
{
    const QUrl url(server);
    if (!url.isValid() || url.host().isEmpty())
        return server;
    return url.port() > 0 ? u"%1:%2"_s.arg(url.host()).arg(url.port()) : url.host();
}

QString ConnectionNotice::title(const ConnectionState &state, int waiting)
{
    const QString approvals = waiting > 0 ? tr(" — %1 waiting for approval").arg(waiting) : QString();
    if (!state.remote())
        return tr("Antibody") + approvals;
    if (state.phase == Phase::SignInNeeded)
        return tr("Antibody — NOT SIGNED IN to team server %1").arg(hostOf(state.server));
    if (state.phase != Phase::Connected)
        return tr("Antibody — DISCONNECTED from team server %1").arg(hostOf(state.server));
    return tr("Antibody — team server %1").arg(hostOf(state.server)) + approvals;
}

QString ConnectionNotice::status(const ConnectionState &state, const QString &approver)
{
    if (!state.remote())
        return {};
    const QString host = hostOf(state.server);
    QString where;
    switch (state.phase) {
    case Phase::Local:
    case Phase::Connected:
        // The leader is named in the banner and on the approval bar: the status line stays short.
        where = state.standingBy ? tr("Team server %1 · connected · STANDS BY").arg(host)
                                 : tr("Team server %1 · connected").arg(host);
        break;
    case Phase::Connecting:
        where = tr("Team server %1 · connecting…").arg(host);
        break;
    case Phase::Reconnecting:
        where = tr("Team server %1 · NOT connected").arg(host);
        break;
    case Phase::SignInNeeded:
        // Nobody yet: the server has not said who this console is, and --name is not a person it admitted.
        return tr("Team server %1 · NOT signed in · no engine in this console").arg(host);
    }
    return tr("%1 · no engine in this console · you are %2").arg(where, approver);
}

QString ConnectionNotice::banner(const ConnectionState &state, const QDateTime &now)
{
    const QString server = state.server.toHtmlEscaped();
    switch (state.phase) {
    case Phase::Local:
        return {};
    case Phase::Connected:
        if (state.standingBy)
            return tr("<b>The team server %1 stands by;</b> the leader is %2. A standby decides nothing and shows "
                      "only what it holds, which is nothing until it leads: connect to the leader to approve, or "
                      "wait: a standby takes over within 15 s of the leader's end.")
                .arg(server, leaderOf(state).toHtmlEscaped());
        if (state.problem.isEmpty())
            return {};
        return tr("<b>The team server %1 sent something this console cannot read.</b> %2 Everything else it "
                  "sent is shown.")
            .arg(server, sentence(state.problem).toHtmlEscaped());
    case Phase::Connecting:
        return tr("<b>Connecting to the team server %1…</b> Nothing is shown until it answers; approvals wait.")
            .arg(server);
    case Phase::SignInNeeded:
        return tr("<b>Not signed in to the team server %1.</b> %2<br>Sign in with your API token: File › Sign in to "
                  "the team server (Ctrl+Shift+I). An admin creates one with <tt>antibodyctl token create</tt>. "
                  "Nothing is shown or approved until then, and the console does not try again by itself.")
            .arg(server, sentence(state.reason).toHtmlEscaped());
    case Phase::Reconnecting:
        break;
    }
    QString when;
    if (!state.nextTry.isValid() || state.nextTry <= now) {
        when = tr("Trying to connect now…");
    } else {
        const qint64 seconds = std::max<qint64>(1, (now.msecsTo(state.nextTry) + 999) / 1000);
        when = tr("Trying again in %1 s (at %2).").arg(seconds).arg(state.nextTry.toString(u"HH:mm:ss"_s));
    }
    return tr("<b>Disconnected from the team server %1.</b> %2<br>%3 What you see may be out of date; Approve and "
              "Deny wait until the console is connected again.")
        .arg(server, sentence(state.reason).toHtmlEscaped(), when);
}

QString ConnectionNotice::approvalBlock(const ConnectionState &state)
{
    if (state.canDecide())
        return {};
    if (state.phase == Phase::Connecting)
        return tr("Not connected to the team server yet: approvals wait until it answers.");
    if (state.phase == Phase::SignInNeeded)
        return tr("Not signed in to the team server: %1. Sign in (Ctrl+Shift+I) to approve.").arg(state.reason);
    if (state.phase == Phase::Connected)
        return tr("This server stands by; the leader is %1: approve on a console connected to the leader, or wait "
                  "until this one leads.")
            .arg(leaderOf(state));
    return tr("Disconnected from the team server: %1. Approve and Deny come back when it is reachable again.")
        .arg(state.reason);
}

} // namespace antibody

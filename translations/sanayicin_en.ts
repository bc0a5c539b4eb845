<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ApiError</name>
    <message>
        <source>The server does not answer. Check the address, or whether it is running.</source>
        <translation>The server does not answer. Check the address, or whether it is running.</translation>
    </message>
    <message>
        <source>Secure connection failed (TLS): the server&apos;s certificate is not trusted or the handshake failed.</source>
        <translation>Secure connection failed (TLS): the server&apos;s certificate is not trusted or the handshake failed.</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>Wrong username or password.</translation>
    </message>
    <message>
        <source>Your session has ended. Please log in again.</source>
        <translation>Your session has ended. Please log in again.</translation>
    </message>
    <message>
        <source>This account is banned.</source>
        <translation>This account is banned.</translation>
    </message>
    <message>
        <source>This account is not an administrator.</source>
        <translation>This account is not an administrator.</translation>
    </message>
    <message>
        <source>Not found: it may have been removed already.</source>
        <translation>Not found: it may have been removed already.</translation>
    </message>
    <message numerus="yes">
        <source>Too many requests. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many requests. Try again in %n second.</numerusform>
            <numerusform>Too many requests. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server refused the request.</source>
        <translation>The server refused the request.</translation>
    </message>
    <message>
        <source>The server is busy or shutting down. Try again shortly.</source>
        <translation>The server is busy or shutting down. Try again shortly.</translation>
    </message>
    <message>
        <source>The server had an internal error.</source>
        <translation>The server had an internal error.</translation>
    </message>
    <message>
        <source>(Details: %1)</source>
        <translation>(Details: %1)</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Instance</source>
        <translation>Instance</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
    <message>
        <source>Online users</source>
        <translation>Online users</translation>
    </message>
    <message>
        <source>Writer backlog</source>
        <translation>Writer backlog</translation>
    </message>
    <message>
        <source>Draining</source>
        <translation>Draining</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Started</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>User id</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Opened</translation>
    </message>
    <message>
        <source>Authenticated</source>
        <translation>Authenticated</translation>
    </message>
    <message>
        <source>Unsent bytes</source>
        <translation>Unsent bytes</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>Depth</translation>
    </message>
    <message>
        <source>Oldest (ms)</source>
        <translation>Oldest (ms)</translation>
    </message>
    <message>
        <source>Holds</source>
        <translation>Holds</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>Filed</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>Sender id</source>
        <translation>Sender id</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>Display name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Banned</source>
        <translation>Banned</translation>
    </message>
    <message>
        <source>Ban reason</source>
        <translation>Ban reason</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Entry</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Moderator</source>
        <translation>Moderator</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Message id</source>
        <translation>Message id</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>Job queue</source>
        <translation>Job queue</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Held by a worker</source>
        <translation>Held by a worker</translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation>Dead letters</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Retried</source>
        <translation>Retried</translation>
    </message>
    <message>
        <source>Died</source>
        <translation>Died</translation>
    </message>
    <message>
        <source>Job type</source>
        <translation>Job type</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Died at</source>
        <translation>Died at</translation>
    </message>
    <message>
        <source>Dead letter</source>
        <translation>Dead letter</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
</context>
<context>
    <name>ListingView</name>
    <message>
        <source>Moderation log</source>
        <translation>Moderation log</translation>
    </message>
</context>
<context>
    <name>Terms</name>
    <message>
        <source>customer</source>
        <translation>customer</translation>
    </message>
    <message>
        <source>tradesman</source>
        <translation>tradesman</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>admin</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>down</source>
        <translation>down</translation>
    </message>
    <message>
        <source>draining</source>
        <translation>draining</translation>
    </message>
    <message>
        <source>open</source>
        <translation>open</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>dismissed</translation>
    </message>
    <message>
        <source>actioned</source>
        <translation>actioned</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resolved</translation>
    </message>
    <message>
        <source>ban</source>
        <translation>ban</translation>
    </message>
    <message>
        <source>unban</source>
        <translation>unban</translation>
    </message>
    <message>
        <source>kick</source>
        <translation>kick</translation>
    </message>
    <message>
        <source>kick_connection</source>
        <translation>kick_connection</translation>
    </message>
    <message>
        <source>delete_message</source>
        <translation>delete_message</translation>
    </message>
    <message>
        <source>dismiss_report</source>
        <translation>dismiss_report</translation>
    </message>
    <message>
        <source>resolve_report</source>
        <translation>resolve_report</translation>
    </message>
    <message>
        <source>writer</source>
        <translation>writer</translation>
    </message>
    <message>
        <source>db_readers</source>
        <translation>db_readers</translation>
    </message>
    <message>
        <source>timeout</source>
        <translation>timeout</translation>
    </message>
    <message>
        <source>read_context</source>
        <translation>read_context</translation>
    </message>
    <message>
        <source>retry_job</source>
        <translation>retry_job</translation>
    </message>
    <message>
        <source>drop_job</source>
        <translation>drop_job</translation>
    </message>
    <message>
        <source>cluster</source>
        <translation>cluster</translation>
    </message>
    <message>
        <source>in</source>
        <translation>in</translation>
    </message>
    <message>
        <source>out</source>
        <translation>out</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>stored</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>not heard from</translation>
    </message>
    <message>
        <source>database_down</source>
        <translation>database down</translation>
    </message>
    <message>
        <source>redis_down</source>
        <translation>Redis down</translation>
    </message>
    <message>
        <source>maintenance</source>
        <translation>maintenance</translation>
    </message>
    <message>
        <source>notify</source>
        <translation>notify</translation>
    </message>
    <message>
        <source>redis</source>
        <translation>redis</translation>
    </message>
    <message>
        <source>embedded</source>
        <translation>embedded</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::AdminActions</name>
    <message>
        <source>Ban %1</source>
        <translation>Ban %1</translation>
    </message>
    <message>
        <source>Reason for the ban (shown in the moderation log):</source>
        <translation>Reason for the ban (shown in the moderation log):</translation>
    </message>
    <message>
        <source>Ban user</source>
        <translation>Ban user</translation>
    </message>
    <message>
        <source>Ban %1? Their sessions end at once on every instance and they cannot log in.</source>
        <translation>Ban %1? Their sessions end at once on every instance and they cannot log in.</translation>
    </message>
    <message>
        <source>Ban</source>
        <translation>Ban</translation>
    </message>
    <message>
        <source>%1 is banned.</source>
        <translation>%1 is banned.</translation>
    </message>
    <message>
        <source>Unban user</source>
        <translation>Unban user</translation>
    </message>
    <message>
        <source>Lift the ban on %1?</source>
        <translation>Lift the ban on %1?</translation>
    </message>
    <message>
        <source>Unban</source>
        <translation>Unban</translation>
    </message>
    <message>
        <source>The ban on %1 is lifted.</source>
        <translation>The ban on %1 is lifted.</translation>
    </message>
    <message>
        <source>Kick user</source>
        <translation>Kick user</translation>
    </message>
    <message>
        <source>Close every connection of %1 on every instance? They may connect again.</source>
        <translation>Close every connection of %1 on every instance? They may connect again.</translation>
    </message>
    <message>
        <source>Kick</source>
        <translation>Kick</translation>
    </message>
    <message>
        <source>%1 is disconnected.</source>
        <translation>%1 is disconnected.</translation>
    </message>
    <message>
        <source>Close connection</source>
        <translation>Close connection</translation>
    </message>
    <message>
        <source>Close connection %1 of %2 on %3?</source>
        <translation>Close connection %1 of %2 on %3?</translation>
    </message>
    <message>
        <source>Connection %1 on %2 is closed.</source>
        <translation>Connection %1 on %2 is closed.</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Delete message</translation>
    </message>
    <message>
        <source>Delete message #%1 for everyone? This cannot be undone.</source>
        <translation>Delete message #%1 for everyone? This cannot be undone.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Message #%1 is deleted.</source>
        <translation>Message #%1 is deleted.</translation>
    </message>
    <message>
        <source>Dismiss report #%1</source>
        <translation>Dismiss report #%1</translation>
    </message>
    <message>
        <source>Resolve report #%1</source>
        <translation>Resolve report #%1</translation>
    </message>
    <message>
        <source>Note (optional):</source>
        <translation>Note (optional):</translation>
    </message>
    <message>
        <source>Report #%1 is dismissed.</source>
        <translation>Report #%1 is dismissed.</translation>
    </message>
    <message>
        <source>Report #%1 is resolved.</source>
        <translation>Report #%1 is resolved.</translation>
    </message>
    <message>
        <source>The dead letter is gone already (retried or dropped elsewhere): the list is read again.</source>
        <translation>The dead letter is gone already (retried or dropped elsewhere): the list is read again.</translation>
    </message>
    <message numerus="yes">
        <source>Your budget of admin actions is spent for now. Try again in %n second(s).</source>
        <translation>
            <numerusform>Your budget of admin actions is spent for now. Try again in %n second.</numerusform>
            <numerusform>Your budget of admin actions is spent for now. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>The job queue did not answer. Try again shortly.</source>
        <translation>The job queue did not answer. Try again shortly.</translation>
    </message>
    <message>
        <source>Drop dead letters</source>
        <translation>Drop dead letters</translation>
    </message>
    <message numerus="yes">
        <source>Drop %n dead letter(s) of the queue %1 for good? Their jobs will not run.</source>
        <translation>
            <numerusform>Drop %n dead letter of the queue %1 for good? Its job will not run.</numerusform>
            <numerusform>Drop %n dead letters of the queue %1 for good? Their jobs will not run.</numerusform>
        </translation>
    </message>
    <message>
        <source>Drop</source>
        <translation>Drop</translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) of %1 went back to the queue.</source>
        <translation>
            <numerusform>%n dead letter of %1 went back to the queue.</numerusform>
            <numerusform>%n dead letters of %1 went back to the queue.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) of %1 dropped.</source>
        <translation>
            <numerusform>%n dead letter of %1 dropped.</numerusform>
            <numerusform>%n dead letters of %1 dropped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sanayicin::console::AdminClient</name>
    <message>
        <source>the answer is not JSON</source>
        <translation>the answer is not JSON</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::AdminStream</name>
    <message>
        <source>Live updates: connecting...</source>
        <translation>Live updates: connecting...</translation>
    </message>
    <message>
        <source>Live updates: on (instance %1)</source>
        <translation>Live updates: on (instance %1)</translation>
    </message>
    <message numerus="yes">
        <source>Live updates lost: reconnecting in %n second(s) (attempt %1); refreshing by polling meanwhile.</source>
        <translation>
            <numerusform>Live updates lost: reconnecting in %n second (attempt %1); refreshing by polling meanwhile.</numerusform>
            <numerusform>Live updates lost: reconnecting in %n seconds (attempt %1); refreshing by polling meanwhile.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Live updates unavailable: refreshing by polling; next try in %n second(s).</source>
        <translation>
            <numerusform>Live updates unavailable: refreshing by polling; next try in %n second.</numerusform>
            <numerusform>Live updates unavailable: refreshing by polling; next try in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sanayicin::console::Capture</name>
    <message>
        <source>cannot create the folder %1</source>
        <translation>cannot create the folder %1</translation>
    </message>
    <message>
        <source>the %1 view got no data in time</source>
        <translation>the %1 view got no data in time</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>cannot write %1</translation>
    </message>
    <message>
        <source>the %1 view: %2</source>
        <translation>the %1 view: %2</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::ConnectionsView</name>
    <message>
        <source>&amp;Close connection</source>
        <translation>&amp;Close connection</translation>
    </message>
    <message>
        <source>Close the selected connections (Ctrl+K)</source>
        <translation>Close the selected connections (Ctrl+K)</translation>
    </message>
    <message>
        <source>Close the selected connections</source>
        <translation>Close the selected connections</translation>
    </message>
    <message>
        <source>Kick &amp;user</source>
        <translation>Kick &amp;user</translation>
    </message>
    <message>
        <source>Close every connection of the selected user</source>
        <translation>Close every connection of the selected user</translation>
    </message>
    <message>
        <source>&amp;Ban user</source>
        <translation>&amp;Ban user</translation>
    </message>
    <message>
        <source>Ban the selected connection&apos;s user (Ctrl+B)</source>
        <translation>Ban the selected connection&apos;s user (Ctrl+B)</translation>
    </message>
    <message>
        <source>Ban the selected connection&apos;s user</source>
        <translation>Ban the selected connection&apos;s user</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Not answering: %1</source>
        <translation>Not answering: %1</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::LoginDialog</name>
    <message>
        <source>Sanayicin console: log in</source>
        <translation>Sanayicin console: log in</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>https://chat.example.com</source>
        <translation>https://chat.example.com</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>&amp;Remember me on this computer</source>
        <translation>&amp;Remember me on this computer</translation>
    </message>
    <message>
        <source>Keeps the token in the system keyring, or, without one, in a file only you can read.</source>
        <translation>Keeps the token in the system keyring, or, without one, in a file only you can read.</translation>
    </message>
    <message>
        <source>Remember me</source>
        <translation>Remember me</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>&amp;Log in</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>The server address must start with http:// or https://.</source>
        <translation>The server address must start with http:// or https://.</translation>
    </message>
    <message>
        <source>Enter your username and password.</source>
        <translation>Enter your username and password.</translation>
    </message>
    <message>
        <source>Logging in...</source>
        <translation>Logging in...</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::MainWindow</name>
    <message>
        <source>Sanayicin console</source>
        <translation>Sanayicin console</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation>&amp;Actions</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <source>&amp;Close selected connections</source>
        <translation>&amp;Close selected connections</translation>
    </message>
    <message>
        <source>&amp;Ban</source>
        <translation>&amp;Ban</translation>
    </message>
    <message>
        <source>&amp;Next report</source>
        <translation>&amp;Next report</translation>
    </message>
    <message>
        <source>&amp;Delete reported message</source>
        <translation>&amp;Delete reported message</translation>
    </message>
    <message>
        <source>D&amp;ismiss report</source>
        <translation>D&amp;ismiss report</translation>
    </message>
    <message>
        <source>R&amp;esolve report</source>
        <translation>R&amp;esolve report</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>Log &amp;out</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Views</translation>
    </message>
    <message>
        <source>Re&amp;try dead letters</source>
        <translation>Re&amp;try dead letters</translation>
    </message>
    <message>
        <source>Dro&amp;p dead letters</source>
        <translation>Dro&amp;p dead letters</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::ModerationView</name>
    <message>
        <source>Open reports only</source>
        <translation>Open reports only</translation>
    </message>
    <message>
        <source>&amp;Delete message</source>
        <translation>&amp;Delete message</translation>
    </message>
    <message>
        <source>Delete the reported message for everyone (Del)</source>
        <translation>Delete the reported message for everyone (Del)</translation>
    </message>
    <message>
        <source>Delete the reported message</source>
        <translation>Delete the reported message</translation>
    </message>
    <message>
        <source>&amp;Ban sender</source>
        <translation>&amp;Ban sender</translation>
    </message>
    <message>
        <source>Ban the sender of the reported message (Ctrl+B)</source>
        <translation>Ban the sender of the reported message (Ctrl+B)</translation>
    </message>
    <message>
        <source>Ban the sender of the reported message</source>
        <translation>Ban the sender of the reported message</translation>
    </message>
    <message>
        <source>D&amp;ismiss</source>
        <translation>D&amp;ismiss</translation>
    </message>
    <message>
        <source>Nothing wrong: close the report (Ctrl+D)</source>
        <translation>Nothing wrong: close the report (Ctrl+D)</translation>
    </message>
    <message>
        <source>Dismiss the report</source>
        <translation>Dismiss the report</translation>
    </message>
    <message>
        <source>&amp;Resolve</source>
        <translation>&amp;Resolve</translation>
    </message>
    <message>
        <source>Acted on: close the report (Ctrl+R)</source>
        <translation>Acted on: close the report (Ctrl+R)</translation>
    </message>
    <message>
        <source>Mark the report resolved</source>
        <translation>Mark the report resolved</translation>
    </message>
    <message>
        <source>&amp;Next report</source>
        <translation>&amp;Next report</translation>
    </message>
    <message>
        <source>Select the next report (Ctrl+N)</source>
        <translation>Select the next report (Ctrl+N)</translation>
    </message>
    <message>
        <source>Select the next report</source>
        <translation>Select the next report</translation>
    </message>
    <message>
        <source>Select a report to see the message in its conversation.</source>
        <translation>Select a report to see the message in its conversation.</translation>
    </message>
    <message>
        <source>Report #%1 by %2: &quot;%3&quot;
Message #%4 from user #%5: &quot;%6&quot;</source>
        <translation>Report #%1 by %2: &quot;%3&quot;
Message #%4 from user #%5: &quot;%6&quot;</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>#%1 %2</source>
        <translation>#%1 %2</translation>
    </message>
    <message>
        <source>Participants: %1</source>
        <translation>Participants: %1</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::OverviewView</name>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
    <message>
        <source>Messages per second</source>
        <translation>Messages per second</translation>
    </message>
    <message>
        <source>Ack latency (ms)</source>
        <translation>Ack latency (ms)</translation>
    </message>
    <message>
        <source>Users: %1 customers, %2 tradesmen, %3 banned · Messages: %4 (last 24 h: %5) · Open reports: %6</source>
        <translation>Users: %1 customers, %2 tradesmen, %3 banned · Messages: %4 (last 24 h: %5) · Open reports: %6</translation>
    </message>
    <message>
        <source>draining</source>
        <translation>draining</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>healthy</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>not answering</translation>
    </message>
    <message>
        <source>%1 (%2)
Connections: %3
Online users: %4
Writer backlog: %5
Version %6</source>
        <translation>%1 (%2)
Connections: %3
Online users: %4
Writer backlog: %5
Version %6</translation>
    </message>
    <message>
        <source>Instance %1</source>
        <translation>Instance %1</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>database down</source>
        <translation>database down</translation>
    </message>
    <message>
        <source>Redis down</source>
        <translation>Redis down</translation>
    </message>
    <message>
        <source>not heard from</source>
        <translation>not heard from</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::QueuesView</name>
    <message>
        <source>Queues</source>
        <translation>Queues</translation>
    </message>
    <message>
        <source>The daemon&apos;s own queues: depth and the oldest wait only, they empty by themselves. A job queue&apos;s dead letters (jobs that failed every attempt) can be retried or dropped below.</source>
        <translation>The daemon&apos;s own queues: depth and the oldest wait only, they empty by themselves. A job queue&apos;s dead letters (jobs that failed every attempt) can be retried or dropped below.</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Retry</translation>
    </message>
    <message>
        <source>Put the selected dead letters back on their queue (Ctrl+Shift+R)</source>
        <translation>Put the selected dead letters back on their queue (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>Retry the selected dead letters</source>
        <translation>Retry the selected dead letters</translation>
    </message>
    <message>
        <source>Dr&amp;op</source>
        <translation>Dr&amp;op</translation>
    </message>
    <message>
        <source>Drop the selected dead letters for good (Shift+Del)</source>
        <translation>Drop the selected dead letters for good (Shift+Del)</translation>
    </message>
    <message>
        <source>Drop the selected dead letters</source>
        <translation>Drop the selected dead letters</translation>
    </message>
    <message>
        <source>Job queues</source>
        <translation>Job queues</translation>
    </message>
    <message>
        <source>Dead letters of the selected job queue</source>
        <translation>Dead letters of the selected job queue</translation>
    </message>
    <message>
        <source>Job queues (kept in: %1)</source>
        <translation>Job queues (kept in: %1)</translation>
    </message>
    <message>
        <source>Dead letters: select a job queue above.</source>
        <translation>Dead letters: select a job queue above.</translation>
    </message>
    <message numerus="yes">
        <source>Dead letters of %1: %n</source>
        <translation>
            <numerusform>Dead letters of %1: %n</numerusform>
            <numerusform>Dead letters of %1: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sanayicin::console::Session</name>
    <message>
        <source>Not connected.</source>
        <translation>Not connected.</translation>
    </message>
    <message>
        <source>Connecting to %1...</source>
        <translation>Connecting to %1...</translation>
    </message>
    <message>
        <source>Connected to %1 as %2.</source>
        <translation>Connected to %1 as %2.</translation>
    </message>
    <message>
        <source>Connection to %1 lost; reconnecting (attempt %2)...</source>
        <translation>Connection to %1 lost; reconnecting (attempt %2)...</translation>
    </message>
    <message>
        <source>The token could not be saved (%1); it is kept in memory only.</source>
        <translation>The token could not be saved (%1); it is kept in memory only.</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::TablePanel</name>
    <message>
        <source>Filter (Ctrl+F)</source>
        <translation>Filter (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter the table</source>
        <translation>Filter the table</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Table</translation>
    </message>
    <message>
        <source>%1 of %2 rows</source>
        <translation>%1 of %2 rows</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::TokenStore</name>
    <message>
        <source>The token is kept in the system keyring.</source>
        <translation>The token is kept in the system keyring.</translation>
    </message>
    <message>
        <source>No keyring is available: the token is kept in %1, readable only by you.</source>
        <translation>No keyring is available: the token is kept in %1, readable only by you.</translation>
    </message>
    <message>
        <source>The token is kept in memory only, until the program ends.</source>
        <translation>The token is kept in memory only, until the program ends.</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>cannot create %1</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::UsersView</name>
    <message>
        <source>Username or display name (Ctrl+F)</source>
        <translation>Username or display name (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search users</source>
        <translation>Search users</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <source>&amp;Ban</source>
        <translation>&amp;Ban</translation>
    </message>
    <message>
        <source>Ban the selected user (Ctrl+B)</source>
        <translation>Ban the selected user (Ctrl+B)</translation>
    </message>
    <message>
        <source>Ban the selected user</source>
        <translation>Ban the selected user</translation>
    </message>
    <message>
        <source>&amp;Unban</source>
        <translation>&amp;Unban</translation>
    </message>
    <message>
        <source>Lift the ban on the selected user</source>
        <translation>Lift the ban on the selected user</translation>
    </message>
    <message>
        <source>Moderation history of the selected user</source>
        <translation>Moderation history of the selected user</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Users</translation>
    </message>
</context>
</TS>

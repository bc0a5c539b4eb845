<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr">
<context>
    <name>ApiError</name>
    <message>
        <source>The server does not answer. Check the address, or whether it is running.</source>
        <translation>Sunucu yanıt vermiyor. Adresi ya da sunucunun çalışıp çalışmadığını denetleyin.</translation>
    </message>
    <message>
        <source>Secure connection failed (TLS): the server&apos;s certificate is not trusted or the handshake failed.</source>
        <translation>Güvenli bağlantı kurulamadı (TLS): sunucunun sertifikasına güvenilmiyor ya da el sıkışma başarısız oldu.</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>Kullanıcı adı ya da parola yanlış.</translation>
    </message>
    <message>
        <source>Your session has ended. Please log in again.</source>
        <translation>Oturumunuz sona erdi. Lütfen yeniden giriş yapın.</translation>
    </message>
    <message>
        <source>This account is banned.</source>
        <translation>Bu hesap yasaklı.</translation>
    </message>
    <message>
        <source>This account is not an administrator.</source>
        <translation>Bu hesap yönetici değil.</translation>
    </message>
    <message>
        <source>Not found: it may have been removed already.</source>
        <translation>Bulunamadı: daha önce kaldırılmış olabilir.</translation>
    </message>
    <message numerus="yes">
        <source>Too many requests. Try again in %n second(s).</source>
        <translation>
            <numerusform>Çok fazla istek. %n saniye sonra yeniden deneyin.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server refused the request.</source>
        <translation>Sunucu isteği reddetti.</translation>
    </message>
    <message>
        <source>The server is busy or shutting down. Try again shortly.</source>
        <translation>Sunucu meşgul ya da kapanıyor. Birazdan yeniden deneyin.</translation>
    </message>
    <message>
        <source>The server had an internal error.</source>
        <translation>Sunucuda iç hata oluştu.</translation>
    </message>
    <message>
        <source>(Details: %1)</source>
        <translation>(Ayrıntılar: %1)</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>%1 s</source>
        <translation>%1 sn</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 dk %2 sn</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 sa %2 dk</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>evet</translation>
    </message>
    <message>
        <source>no</source>
        <translation>hayır</translation>
    </message>
    <message>
        <source>Instance</source>
        <translation>Sunucu örneği</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Bağlantılar</translation>
    </message>
    <message>
        <source>Online users</source>
        <translation>Çevrim içi kullanıcılar</translation>
    </message>
    <message>
        <source>Writer backlog</source>
        <translation>Yazma kuyruğu</translation>
    </message>
    <message>
        <source>Draining</source>
        <translation>Boşaltılıyor</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Sürüm</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Başlangıç</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Bağlantı</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>Kullanıcı no</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Kullanıcı adı</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Açılış</translation>
    </message>
    <message>
        <source>Authenticated</source>
        <translation>Kimliği doğrulandı</translation>
    </message>
    <message>
        <source>Unsent bytes</source>
        <translation>Gönderilmemiş bayt</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Kuyruk</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>Derinlik</translation>
    </message>
    <message>
        <source>Oldest (ms)</source>
        <translation>En eski (ms)</translation>
    </message>
    <message>
        <source>Holds</source>
        <translation>İçerik</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Şikayet</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>Tarih</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>Şikayet eden</translation>
    </message>
    <message>
        <source>Sender id</source>
        <translation>Gönderen no</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Gerekçe</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mesaj</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>Görünen ad</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Banned</source>
        <translation>Yasaklı</translation>
    </message>
    <message>
        <source>Ban reason</source>
        <translation>Yasak gerekçesi</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>Kayıt tarihi</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Kayıt</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zaman</translation>
    </message>
    <message>
        <source>Moderator</source>
        <translation>Moderatör</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>İşlem</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Kullanıcı</translation>
    </message>
    <message>
        <source>Message id</source>
        <translation>Mesaj no</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Sıra</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Silindi</translation>
    </message>
    <message>
        <source>Job queue</source>
        <translation>İş kuyruğu</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Bekleyen</translation>
    </message>
    <message>
        <source>Held by a worker</source>
        <translation>İşçide</translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation>Başarısız işler</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Tamamlanan</translation>
    </message>
    <message>
        <source>Retried</source>
        <translation>Yeniden denenen</translation>
    </message>
    <message>
        <source>Died</source>
        <translation>Başarısız olan</translation>
    </message>
    <message>
        <source>Job type</source>
        <translation>İş türü</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Deneme</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Hata</translation>
    </message>
    <message>
        <source>Died at</source>
        <translation>Başarısızlık zamanı</translation>
    </message>
    <message>
        <source>Dead letter</source>
        <translation>Kayıt no.</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>İş</translation>
    </message>
</context>
<context>
    <name>ListingView</name>
    <message>
        <source>Moderation log</source>
        <translation>Moderasyon kaydı</translation>
    </message>
</context>
<context>
    <name>Terms</name>
    <message>
        <source>customer</source>
        <translation>müşteri</translation>
    </message>
    <message>
        <source>tradesman</source>
        <translation>usta</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>yönetici</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>sağlıklı</translation>
    </message>
    <message>
        <source>down</source>
        <translation>çalışmıyor</translation>
    </message>
    <message>
        <source>draining</source>
        <translation>boşaltılıyor</translation>
    </message>
    <message>
        <source>open</source>
        <translation>açık</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>reddedildi</translation>
    </message>
    <message>
        <source>actioned</source>
        <translation>işlem yapıldı</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>çözüldü</translation>
    </message>
    <message>
        <source>ban</source>
        <translation>yasaklama</translation>
    </message>
    <message>
        <source>unban</source>
        <translation>yasağı kaldırma</translation>
    </message>
    <message>
        <source>kick</source>
        <translation>bağlantıdan atma</translation>
    </message>
    <message>
        <source>kick_connection</source>
        <translation>bağlantı kapatma</translation>
    </message>
    <message>
        <source>delete_message</source>
        <translation>mesaj silme</translation>
    </message>
    <message>
        <source>dismiss_report</source>
        <translation>şikayeti reddetme</translation>
    </message>
    <message>
        <source>resolve_report</source>
        <translation>şikayeti çözme</translation>
    </message>
    <message>
        <source>writer</source>
        <translation>yazıcı</translation>
    </message>
    <message>
        <source>db_readers</source>
        <translation>veritabanı okuyucuları</translation>
    </message>
    <message>
        <source>timeout</source>
        <translation>zaman aşımı</translation>
    </message>
    <message>
        <source>read_context</source>
        <translation>bağlamı okuma</translation>
    </message>
    <message>
        <source>retry_job</source>
        <translation>işi yeniden deneme</translation>
    </message>
    <message>
        <source>drop_job</source>
        <translation>işi silme</translation>
    </message>
    <message>
        <source>cluster</source>
        <translation>küme</translation>
    </message>
    <message>
        <source>in</source>
        <translation>gelen</translation>
    </message>
    <message>
        <source>out</source>
        <translation>giden</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>kaydedilen</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>haber alınamıyor</translation>
    </message>
    <message>
        <source>database_down</source>
        <translation>veritabanı çalışmıyor</translation>
    </message>
    <message>
        <source>redis_down</source>
        <translation>Redis çalışmıyor</translation>
    </message>
    <message>
        <source>maintenance</source>
        <translation>bakım</translation>
    </message>
    <message>
        <source>notify</source>
        <translation>bildirim</translation>
    </message>
    <message>
        <source>redis</source>
        <translation>Redis</translation>
    </message>
    <message>
        <source>embedded</source>
        <translation>gömülü (PostgreSQL)</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::AdminActions</name>
    <message>
        <source>Ban %1</source>
        <translation>%1 kullanıcısını yasakla</translation>
    </message>
    <message>
        <source>Reason for the ban (shown in the moderation log):</source>
        <translation>Yasağın gerekçesi (moderasyon kaydında görünür):</translation>
    </message>
    <message>
        <source>Ban user</source>
        <translation>Kullanıcıyı yasakla</translation>
    </message>
    <message>
        <source>Ban %1? Their sessions end at once on every instance and they cannot log in.</source>
        <translation>%1 yasaklansın mı? Oturumları tüm sunucularda hemen sona erer ve giriş yapamaz.</translation>
    </message>
    <message>
        <source>Ban</source>
        <translation>Yasakla</translation>
    </message>
    <message>
        <source>%1 is banned.</source>
        <translation>%1 yasaklandı.</translation>
    </message>
    <message>
        <source>Unban user</source>
        <translation>Yasağı kaldır</translation>
    </message>
    <message>
        <source>Lift the ban on %1?</source>
        <translation>%1 için yasak kaldırılsın mı?</translation>
    </message>
    <message>
        <source>Unban</source>
        <translation>Yasağı kaldır</translation>
    </message>
    <message>
        <source>The ban on %1 is lifted.</source>
        <translation>%1 için yasak kaldırıldı.</translation>
    </message>
    <message>
        <source>Kick user</source>
        <translation>Kullanıcıyı at</translation>
    </message>
    <message>
        <source>Close every connection of %1 on every instance? They may connect again.</source>
        <translation>%1 kullanıcısının tüm sunuculardaki bütün bağlantıları kapatılsın mı? Yeniden bağlanabilir.</translation>
    </message>
    <message>
        <source>Kick</source>
        <translation>At</translation>
    </message>
    <message>
        <source>%1 is disconnected.</source>
        <translation>%1 bağlantıdan atıldı.</translation>
    </message>
    <message>
        <source>Close connection</source>
        <translation>Bağlantıyı kapat</translation>
    </message>
    <message>
        <source>Close connection %1 of %2 on %3?</source>
        <translation>%2 kullanıcısının %3 üzerindeki %1 numaralı bağlantısı kapatılsın mı?</translation>
    </message>
    <message>
        <source>Connection %1 on %2 is closed.</source>
        <translation>%2 üzerindeki %1 numaralı bağlantı kapatıldı.</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Mesajı sil</translation>
    </message>
    <message>
        <source>Delete message #%1 for everyone? This cannot be undone.</source>
        <translation>#%1 numaralı mesaj herkes için silinsin mi? Bu işlem geri alınamaz.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Sil</translation>
    </message>
    <message>
        <source>Message #%1 is deleted.</source>
        <translation>#%1 numaralı mesaj silindi.</translation>
    </message>
    <message>
        <source>Dismiss report #%1</source>
        <translation>#%1 numaralı şikayeti reddet</translation>
    </message>
    <message>
        <source>Resolve report #%1</source>
        <translation>#%1 numaralı şikayeti çözüldü say</translation>
    </message>
    <message>
        <source>Note (optional):</source>
        <translation>Not (isteğe bağlı):</translation>
    </message>
    <message>
        <source>Report #%1 is dismissed.</source>
        <translation>#%1 numaralı şikayet reddedildi.</translation>
    </message>
    <message>
        <source>Report #%1 is resolved.</source>
        <translation>#%1 numaralı şikayet çözüldü.</translation>
    </message>
    <message>
        <source>The dead letter is gone already (retried or dropped elsewhere): the list is read again.</source>
        <translation>Bu başarısız iş artık yok (başka yerden yeniden denenmiş ya da silinmiş): liste yeniden okunuyor.</translation>
    </message>
    <message numerus="yes">
        <source>Your budget of admin actions is spent for now. Try again in %n second(s).</source>
        <translation>
            <numerusform>Yönetici işlem hakkınız şimdilik doldu. %n saniye sonra yeniden deneyin.</numerusform>
        </translation>
    </message>
    <message>
        <source>The job queue did not answer. Try again shortly.</source>
        <translation>İş kuyruğu yanıt vermedi. Biraz sonra yeniden deneyin.</translation>
    </message>
    <message>
        <source>Drop dead letters</source>
        <translation>Başarısız işleri sil</translation>
    </message>
    <message numerus="yes">
        <source>Drop %n dead letter(s) of the queue %1 for good? Their jobs will not run.</source>
        <translation>
            <numerusform>%1 kuyruğunun %n başarısız işi kalıcı olarak silinsin mi? Bu işler çalıştırılmayacak.</numerusform>
        </translation>
    </message>
    <message>
        <source>Drop</source>
        <translation>Sil</translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) of %1 went back to the queue.</source>
        <translation>
            <numerusform>%1 kuyruğunun %n başarısız işi kuyruğa geri gönderildi.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n dead letter(s) of %1 dropped.</source>
        <translation>
            <numerusform>%1 kuyruğunun %n başarısız işi silindi.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sanayicin::console::AdminClient</name>
    <message>
        <source>the answer is not JSON</source>
        <translation>yanıt JSON değil</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::AdminStream</name>
    <message>
        <source>Live updates: connecting...</source>
        <translation>Canlı güncellemeler: bağlanılıyor...</translation>
    </message>
    <message>
        <source>Live updates: on (instance %1)</source>
        <translation>Canlı güncellemeler: açık (sunucu %1)</translation>
    </message>
    <message numerus="yes">
        <source>Live updates lost: reconnecting in %n second(s) (attempt %1); refreshing by polling meanwhile.</source>
        <translation>
            <numerusform>Canlı güncellemeler kesildi: %n saniye sonra yeniden bağlanılacak (deneme %1); bu arada düzenli sorgulanıyor.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Live updates unavailable: refreshing by polling; next try in %n second(s).</source>
        <translation>
            <numerusform>Canlı güncellemeler kullanılamıyor: düzenli sorgulanıyor; sonraki deneme %n saniye sonra.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sanayicin::console::Capture</name>
    <message>
        <source>cannot create the folder %1</source>
        <translation>%1 klasörü oluşturulamıyor</translation>
    </message>
    <message>
        <source>the %1 view got no data in time</source>
        <translation>%1 görünümüne zamanında veri gelmedi</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>%1 yazılamıyor</translation>
    </message>
    <message>
        <source>the %1 view: %2</source>
        <translation>%1 görünümü: %2</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::ConnectionsView</name>
    <message>
        <source>&amp;Close connection</source>
        <translation>Bağlantıyı &amp;kapat</translation>
    </message>
    <message>
        <source>Close the selected connections (Ctrl+K)</source>
        <translation>Seçili bağlantıları kapat (Ctrl+K)</translation>
    </message>
    <message>
        <source>Close the selected connections</source>
        <translation>Seçili bağlantıları kapat</translation>
    </message>
    <message>
        <source>Kick &amp;user</source>
        <translation>Kullanıcıyı &amp;at</translation>
    </message>
    <message>
        <source>Close every connection of the selected user</source>
        <translation>Seçili kullanıcının bütün bağlantılarını kapat</translation>
    </message>
    <message>
        <source>&amp;Ban user</source>
        <translation>Kullanıcıyı &amp;yasakla</translation>
    </message>
    <message>
        <source>Ban the selected connection&apos;s user (Ctrl+B)</source>
        <translation>Seçili bağlantının kullanıcısını yasakla (Ctrl+B)</translation>
    </message>
    <message>
        <source>Ban the selected connection&apos;s user</source>
        <translation>Seçili bağlantının kullanıcısını yasakla</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Not answering: %1</source>
        <translation>Yanıt vermeyen: %1</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Bağlantılar</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::LoginDialog</name>
    <message>
        <source>Sanayicin console: log in</source>
        <translation>Sanayicin konsolu: giriş</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Sunucu:</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>&amp;Kullanıcı adı:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Parola:</translation>
    </message>
    <message>
        <source>https://chat.example.com</source>
        <translation>https://sohbet.ornek.com</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Sunucu adresi</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Kullanıcı adı</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Parola</translation>
    </message>
    <message>
        <source>&amp;Remember me on this computer</source>
        <translation>Bu bilgisayarda &amp;beni hatırla</translation>
    </message>
    <message>
        <source>Keeps the token in the system keyring, or, without one, in a file only you can read.</source>
        <translation>Oturum anahtarını sistem anahtarlığında, anahtarlık yoksa yalnızca sizin okuyabileceğiniz bir dosyada saklar.</translation>
    </message>
    <message>
        <source>Remember me</source>
        <translation>Beni hatırla</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>&amp;Giriş yap</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Vazgeç</translation>
    </message>
    <message>
        <source>The server address must start with http:// or https://.</source>
        <translation>Sunucu adresi http:// ya da https:// ile başlamalı.</translation>
    </message>
    <message>
        <source>Enter your username and password.</source>
        <translation>Kullanıcı adınızı ve parolanızı girin.</translation>
    </message>
    <message>
        <source>Logging in...</source>
        <translation>Giriş yapılıyor...</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::MainWindow</name>
    <message>
        <source>Sanayicin console</source>
        <translation>Sanayicin konsolu</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Dosya</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Görünüm</translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation>&amp;İşlemler</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>D&amp;il</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Yenile</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Ara</translation>
    </message>
    <message>
        <source>&amp;Close selected connections</source>
        <translation>Seçili &amp;bağlantıları kapat</translation>
    </message>
    <message>
        <source>&amp;Ban</source>
        <translation>&amp;Yasakla</translation>
    </message>
    <message>
        <source>&amp;Next report</source>
        <translation>&amp;Sonraki şikayet</translation>
    </message>
    <message>
        <source>&amp;Delete reported message</source>
        <translation>Şikayet edilen mesajı &amp;sil</translation>
    </message>
    <message>
        <source>D&amp;ismiss report</source>
        <translation>Şikayeti &amp;reddet</translation>
    </message>
    <message>
        <source>R&amp;esolve report</source>
        <translation>Şikayeti çö&amp;züldü say</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>Çıkış ya&amp;p</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Kapat</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Görünümler</translation>
    </message>
    <message>
        <source>Re&amp;try dead letters</source>
        <translation>Başarısız işleri &amp;yeniden dene</translation>
    </message>
    <message>
        <source>Dro&amp;p dead letters</source>
        <translation>Başarısız işleri s&amp;il</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::ModerationView</name>
    <message>
        <source>Open reports only</source>
        <translation>Yalnızca açık şikayetler</translation>
    </message>
    <message>
        <source>&amp;Delete message</source>
        <translation>Mesajı &amp;sil</translation>
    </message>
    <message>
        <source>Delete the reported message for everyone (Del)</source>
        <translation>Şikayet edilen mesajı herkes için sil (Del)</translation>
    </message>
    <message>
        <source>Delete the reported message</source>
        <translation>Şikayet edilen mesajı sil</translation>
    </message>
    <message>
        <source>&amp;Ban sender</source>
        <translation>Göndereni &amp;yasakla</translation>
    </message>
    <message>
        <source>Ban the sender of the reported message (Ctrl+B)</source>
        <translation>Şikayet edilen mesajın göndericisini yasakla (Ctrl+B)</translation>
    </message>
    <message>
        <source>Ban the sender of the reported message</source>
        <translation>Şikayet edilen mesajın göndericisini yasakla</translation>
    </message>
    <message>
        <source>D&amp;ismiss</source>
        <translation>&amp;Reddet</translation>
    </message>
    <message>
        <source>Nothing wrong: close the report (Ctrl+D)</source>
        <translation>Sorun yok: şikayeti kapat (Ctrl+D)</translation>
    </message>
    <message>
        <source>Dismiss the report</source>
        <translation>Şikayeti reddet</translation>
    </message>
    <message>
        <source>&amp;Resolve</source>
        <translation>Çö&amp;züldü</translation>
    </message>
    <message>
        <source>Acted on: close the report (Ctrl+R)</source>
        <translation>Gereği yapıldı: şikayeti kapat (Ctrl+R)</translation>
    </message>
    <message>
        <source>Mark the report resolved</source>
        <translation>Şikayeti çözüldü olarak işaretle</translation>
    </message>
    <message>
        <source>&amp;Next report</source>
        <translation>&amp;Sonraki şikayet</translation>
    </message>
    <message>
        <source>Select the next report (Ctrl+N)</source>
        <translation>Sonraki şikayeti seç (Ctrl+N)</translation>
    </message>
    <message>
        <source>Select the next report</source>
        <translation>Sonraki şikayeti seç</translation>
    </message>
    <message>
        <source>Select a report to see the message in its conversation.</source>
        <translation>Mesajı konuşması içinde görmek için bir şikayet seçin.</translation>
    </message>
    <message>
        <source>Report #%1 by %2: &quot;%3&quot;
Message #%4 from user #%5: &quot;%6&quot;</source>
        <translation>#%1 numaralı şikayet, %2: “%3”
#%5 numaralı kullanıcının #%4 numaralı mesajı: “%6”</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Şikayetler</translation>
    </message>
    <message>
        <source>#%1 %2</source>
        <translation>#%1 %2</translation>
    </message>
    <message>
        <source>Participants: %1</source>
        <translation>Katılımcılar: %1</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::OverviewView</name>
    <message>
        <source>Connections</source>
        <translation>Bağlantılar</translation>
    </message>
    <message>
        <source>Messages per second</source>
        <translation>Saniyede mesaj</translation>
    </message>
    <message>
        <source>Ack latency (ms)</source>
        <translation>Onay gecikmesi (ms)</translation>
    </message>
    <message>
        <source>Users: %1 customers, %2 tradesmen, %3 banned · Messages: %4 (last 24 h: %5) · Open reports: %6</source>
        <translation>Kullanıcılar: %1 müşteri, %2 usta, %3 yasaklı · Mesajlar: %4 (son 24 saat: %5) · Açık şikayetler: %6</translation>
    </message>
    <message>
        <source>draining</source>
        <translation>boşaltılıyor</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>sağlıklı</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>yanıt vermiyor</translation>
    </message>
    <message>
        <source>%1 (%2)
Connections: %3
Online users: %4
Writer backlog: %5
Version %6</source>
        <translation>%1 (%2)
Bağlantılar: %3
Çevrim içi kullanıcılar: %4
Yazma kuyruğu: %5
Sürüm %6</translation>
    </message>
    <message>
        <source>Instance %1</source>
        <translation>Sunucu örneği %1</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Genel Bakış</translation>
    </message>
    <message>
        <source>database down</source>
        <translation>veritabanı çalışmıyor</translation>
    </message>
    <message>
        <source>Redis down</source>
        <translation>Redis çalışmıyor</translation>
    </message>
    <message>
        <source>not heard from</source>
        <translation>haber alınamıyor</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::QueuesView</name>
    <message>
        <source>Queues</source>
        <translation>Kuyruklar</translation>
    </message>
    <message>
        <source>The daemon&apos;s own queues: depth and the oldest wait only, they empty by themselves. A job queue&apos;s dead letters (jobs that failed every attempt) can be retried or dropped below.</source>
        <translation>Sunucunun kendi kuyrukları: yalnızca derinlik ve en eski bekleme; kendiliğinden boşalırlar. Bir iş kuyruğunun başarısız işleri (her denemede başarısız olan işler) aşağıda yeniden denenebilir ya da silinebilir.</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Yeniden dene</translation>
    </message>
    <message>
        <source>Put the selected dead letters back on their queue (Ctrl+Shift+R)</source>
        <translation>Seçili başarısız işleri kuyruklarına geri koy (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>Retry the selected dead letters</source>
        <translation>Seçili başarısız işleri yeniden dene</translation>
    </message>
    <message>
        <source>Dr&amp;op</source>
        <translation>&amp;Sil</translation>
    </message>
    <message>
        <source>Drop the selected dead letters for good (Shift+Del)</source>
        <translation>Seçili başarısız işleri kalıcı olarak sil (Shift+Del)</translation>
    </message>
    <message>
        <source>Drop the selected dead letters</source>
        <translation>Seçili başarısız işleri sil</translation>
    </message>
    <message>
        <source>Job queues</source>
        <translation>İş kuyrukları</translation>
    </message>
    <message>
        <source>Dead letters of the selected job queue</source>
        <translation>Seçili iş kuyruğunun başarısız işleri</translation>
    </message>
    <message>
        <source>Job queues (kept in: %1)</source>
        <translation>İş kuyrukları (saklandığı yer: %1)</translation>
    </message>
    <message>
        <source>Dead letters: select a job queue above.</source>
        <translation>Başarısız işler: yukarıdan bir iş kuyruğu seçin.</translation>
    </message>
    <message numerus="yes">
        <source>Dead letters of %1: %n</source>
        <translation>
            <numerusform>%1 kuyruğunun başarısız işleri: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sanayicin::console::Session</name>
    <message>
        <source>Not connected.</source>
        <translation>Bağlı değil.</translation>
    </message>
    <message>
        <source>Connecting to %1...</source>
        <translation>%1 sunucusuna bağlanılıyor...</translation>
    </message>
    <message>
        <source>Connected to %1 as %2.</source>
        <translation>%1 sunucusuna %2 olarak bağlı.</translation>
    </message>
    <message>
        <source>Connection to %1 lost; reconnecting (attempt %2)...</source>
        <translation>%1 ile bağlantı koptu; yeniden bağlanılıyor (%2. deneme)...</translation>
    </message>
    <message>
        <source>The token could not be saved (%1); it is kept in memory only.</source>
        <translation>Oturum anahtarı kaydedilemedi (%1); yalnızca bellekte tutuluyor.</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::TablePanel</name>
    <message>
        <source>Filter (Ctrl+F)</source>
        <translation>Süz (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter the table</source>
        <translation>Tabloyu süz</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tablo</translation>
    </message>
    <message>
        <source>%1 of %2 rows</source>
        <translation>%2 satırdan %1</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::TokenStore</name>
    <message>
        <source>The token is kept in the system keyring.</source>
        <translation>Oturum anahtarı sistem anahtarlığında saklanıyor.</translation>
    </message>
    <message>
        <source>No keyring is available: the token is kept in %1, readable only by you.</source>
        <translation>Anahtarlık yok: oturum anahtarı yalnızca sizin okuyabileceğiniz %1 dosyasında saklanıyor.</translation>
    </message>
    <message>
        <source>The token is kept in memory only, until the program ends.</source>
        <translation>Oturum anahtarı yalnızca bellekte, program kapanana dek tutuluyor.</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>%1 oluşturulamıyor</translation>
    </message>
</context>
<context>
    <name>sanayicin::console::UsersView</name>
    <message>
        <source>Username or display name (Ctrl+F)</source>
        <translation>Kullanıcı adı ya da görünen ad (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search users</source>
        <translation>Kullanıcı ara</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Ara</translation>
    </message>
    <message>
        <source>&amp;Ban</source>
        <translation>&amp;Yasakla</translation>
    </message>
    <message>
        <source>Ban the selected user (Ctrl+B)</source>
        <translation>Seçili kullanıcıyı yasakla (Ctrl+B)</translation>
    </message>
    <message>
        <source>Ban the selected user</source>
        <translation>Seçili kullanıcıyı yasakla</translation>
    </message>
    <message>
        <source>&amp;Unban</source>
        <translation>Yasağı &amp;kaldır</translation>
    </message>
    <message>
        <source>Lift the ban on the selected user</source>
        <translation>Seçili kullanıcının yasağını kaldır</translation>
    </message>
    <message>
        <source>Moderation history of the selected user</source>
        <translation>Seçili kullanıcının moderasyon geçmişi</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Kullanıcılar</translation>
    </message>
</context>
</TS>

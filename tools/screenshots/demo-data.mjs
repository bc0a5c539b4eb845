// Demo data for tools/screenshots.sh: the people, businesses and chats of a
// small Turkish "sanayi" (industrial estate) marketplace. Only names and
// words: seed.mjs turns them into accounts, conversations and messages.

export const PASSWORD = 'Demo-Parola-2026';

// Tradesmen: username, display name, profile.
export const TRADESMEN = [
  ['usta_ahmet', 'Ahmet Yıldırım', 'Yıldırım Oto Elektrik', 'Oto Elektrik', 'İstanbul', 'Kadıköy', 'Akü, marş motoru, şarj dinamosu ve far arızaları. Yerinde servis.'],
  ['usta_mehmet', 'Mehmet Demir', 'Demir Motor Tamir', 'Oto Mekanik', 'İstanbul', 'Ümraniye', 'Motor revizyonu, triger seti, yağ ve bakım.'],
  ['usta_hasan', 'Hasan Çelik', 'Çelik Kaporta Boya', 'Kaporta', 'Ankara', 'Ostim', 'Göçük düzeltme, lokal boya, pasta cila.'],
  ['usta_mustafa', 'Mustafa Şahin', 'Şahin Elektrik Tesisat', 'Elektrik', 'İzmir', 'Bornova', 'Ev ve iş yeri elektrik tesisatı, sigorta panosu, aydınlatma.'],
  ['usta_ibrahim', 'İbrahim Aydın', 'Aydın Oto Mekanik', 'Oto Mekanik', 'Bursa', 'Nilüfer', 'Fren, debriyaj, amortisör; periyodik bakım.'],
  ['usta_huseyin', 'Hüseyin Öztürk', 'Öztürk Kaporta', 'Kaporta', 'İstanbul', 'İkitelli', 'Kaza sonrası onarım, şasi düzeltme, sigorta işleri.'],
  ['usta_ismail', 'İsmail Koç', 'Koç Oto Elektrik & Klima', 'Oto Elektrik', 'Ankara', 'Çankaya', 'Klima gazı, beyin arızası, arıza tespit cihazı.'],
  ['usta_osman', 'Osman Kılıç', 'Kılıç Elektrik', 'Elektrik', 'İstanbul', 'Beşiktaş', 'Priz, anahtar, kaçak akım rölesi, acil arıza.'],
  ['usta_ramazan', 'Ramazan Arslan', 'Arslan Lastik & Rot Balans', 'Lastik', 'Konya', 'Selçuklu', 'Lastik değişimi, rot balans, jant düzeltme.'],
  ['usta_yusuf', 'Yusuf Doğan', 'Doğan Şanzıman', 'Oto Mekanik', 'Kocaeli', 'İzmit', 'Otomatik ve manuel şanzıman tamiri.'],
].map(([username, display_name, business_name, category, city, district, description]) => ({
  username, display_name, role: 'tradesman', profile: { business_name, category, city, district, description },
}));

export const CUSTOMERS = [
  ['ayse_yilmaz', 'Ayşe Yılmaz'], ['fatma_kaya', 'Fatma Kaya'], ['elif_simsek', 'Elif Şimşek'],
  ['zeynep_gunes', 'Zeynep Güneş'], ['emine_aksoy', 'Emine Aksoy'], ['can_ozdemir', 'Can Özdemir'],
  ['burak_erdogan', 'Burak Erdoğan'], ['selin_karaca', 'Selin Karaca'], ['gokhan_polat', 'Gökhan Polat'],
  ['derya_kurt', 'Derya Kurt'], ['cem_yucel', 'Cem Yücel'], ['ozge_tekin', 'Özge Tekin'],
  ['serkan_avci', 'Serkan Avcı'], ['merve_cinar', 'Merve Çınar'],
].map(([username, display_name]) => ({ username, display_name, role: 'customer' }));

// The account that sends spam, is reported and gets banned.
export const SPAMMER = { username: 'firsat_kampanya', display_name: 'Süper Fırsat Kampanya', role: 'customer' };
export const SPAM = 'Tebrikler! 5.000 TL hediye çeki kazandınız, hemen bu bağlantıya tıklayın: bit.ly/hediye-ceki';
export const BAN_REASON = 'Dolandırıcılık amaçlı toplu mesaj';

// Chats by trade: customer and tradesman take turns, the customer first.
export const DIALOGUES = {
  'Oto Elektrik': [
    'Merhaba, sabah araç hiç çalışmadı; marşa basınca sadece tık sesi geliyor.',
    'Merhaba, büyük ihtimalle akü ya da marş otomatiği. Araç ne marka, akü kaç yıllık?',
    '2016 model Fiat Egea, akü orijinal, hiç değişmedi.',
    'O zaman akü bitmiş olabilir. Yerinde ölçüm yapalım, gerekirse yenisini takarız.',
    'Ne kadar tutar yaklaşık?',
    '60 amper akü takılı işçilik dahil 3.250 TL civarı. Öğleden sonra 3’te uygun musunuz?',
    'Olur, konum atıyorum. Teşekkürler usta!',
  ],
  'Oto Mekanik': [
    'İyi günler, triger seti değişimi için fiyat alabilir miyim? Araç 120 bin km’de.',
    'İyi günler, marka model nedir? Devirdaim de aynı anda değişsin derim.',
    'Renault Clio 1.5 dCi, 2018.',
    'Set ve devirdaim, işçilik dahil 7.800 TL. Yarım gün sürer.',
    'Perşembe sabah getirsem?',
    'Perşembe 9’da bekliyorum, ruhsatı unutmayın.',
  ],
  Kaporta: [
    'Merhaba, otoparkta sağ arka kapıya vurmuşlar, boyası da kalkmış. Fotoğraf atabilirim.',
    'Merhaba, atın bakalım. Boyasız göçük düzeltme olmayabilir, lokal boya gerekebilir.',
    'Fotoğrafları gönderdim. Sigorta yaptırmak istemiyorum.',
    'Gördüm; kapı düzeltme ve lokal boya 4.500 TL, iki günde teslim.',
    'Renk tutar mı, araç beyaz inci.',
    'Bilgisayarlı renk karışımı yapıyoruz, fark olmaz. Gönül rahatlığıyla getirin.',
  ],
  Elektrik: [
    'Merhaba, mutfakta prize bir şey takınca sigorta atıyor. Bugün gelebilir misiniz?',
    'Merhaba, kaçak akım olabilir. Adres neresi?',
    'Bornova, Kazımdirik Mahallesi. Akşam 6’dan sonra evdeyim.',
    'Saat 7 gibi uğrarım. Hangi prizde olduğunu işaretlerseniz iyi olur.',
    'Tamam, bantla işaretledim. Çok teşekkürler.',
  ],
  Lastik: [
    'Selam, kış lastiği takılacak, randevu var mı bu hafta?',
    'Selam, cumartesi sabah yoğun ama cuma öğleden sonra boş.',
    'Cuma 4 uygun. Rot balans da yapalım.',
    'Not aldım, cuma 4. Lastikler sizde mi bizde mi?',
    'Bende, bagajda getireceğim.',
  ],
};

// Lines the live demo traffic draws from, by who speaks.
export const LIVE_CUSTOMER = [
  'Merhaba, bugün açık mısınız?',
  'Aracı ne zaman teslim alabilirim?',
  'Fiyata KDV dahil mi?',
  'Parça orijinal mi olacak?',
  'Yarın sabah 10 uygun mu?',
  'Konumu gönderdim, kapının önündeyim.',
  'Teşekkürler, elinize sağlık!',
  'Kredi kartına taksit yapıyor musunuz?',
];
export const LIVE_TRADESMAN = [
  'Açığız, akşam 7’ye kadar buradayız.',
  'Öğleden sonra hazır olur, ararım sizi.',
  'KDV dahil, fatura da kesiyoruz.',
  'Orijinal parça, iki yıl garantili.',
  'Sabah 10 olur, bekliyorum.',
  'Geldim, siyah minibüsün yanındayım.',
  'Rica ederim, yolunuz açık olsun.',
  'Üç taksit yapabiliyoruz.',
];

export const REPORT_REASONS = [
  'Dolandırıcılık bağlantısı gönderiyor',
  'Hakaret içeren mesaj',
  'Sürekli aynı reklamı atıyor',
];

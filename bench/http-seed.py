#!/usr/bin/env python3
"""Seeds a daemon through its HTTP API for bench/http.sh (standard library only).

Makes:
  - a main user with --conversations conversations (one peer each, one
    message in each), the first of which holds --history messages sent by
    both sides;
  - --tradesmen tradesmen with Turkish profiles (business name, category,
    city, district, description) for the directory search;
and writes OUT.lua (read by bench/wrk/endpoint.lua) and OUT.env (shell).
Answers 429 are waited out as Retry-After says.
"""
import argparse
import concurrent.futures
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

PASSWORD = "bench-password-1"
SURNAMES = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
            "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt",
            "Özkan", "Şimşek", "Güneş", "Akgül", "Erdoğan", "Işık"]
CATEGORIES = [
    ("Elektrikçi", "elektrik tesisatı, sigorta, priz ve aydınlatma arızaları"),
    ("Tesisatçı", "su tesisatı, kaçak tespiti, şofben ve kombi bağlantısı"),
    ("Boyacı", "iç ve dış cephe boyası, alçı, sıva ve badana işleri"),
    ("Çilingir", "kapı açma, kilit değişimi, çelik kapı ve kasa işleri"),
    ("Marangoz", "mutfak dolabı, kapı, pencere ve özel ölçü mobilya"),
    ("Klima Servisi", "klima montajı, bakım, gaz dolumu ve ısıtma sistemleri"),
    ("Camcı", "cam değişimi, ısıcam, duşakabin ve ayna işleri"),
    ("Döşemeci", "koltuk döşeme, sandalye ve yatak başlığı yenileme"),
    ("Kombi Servisi", "kombi bakımı, petek temizliği, ısıtma ve sıcak su arızaları"),
    ("Parke Ustası", "laminat ve masif parke döşeme, cilalama ve süpürgelik"),
]
CITIES = [
    ("İstanbul", ["Kadıköy", "Üsküdar", "Beşiktaş", "Şişli", "Bakırköy", "Ataşehir"]),
    ("İzmir", ["Karşıyaka", "Bornova", "Buca", "Çiğli"]),
    ("Ankara", ["Çankaya", "Keçiören", "Yenimahalle", "Etimesgut"]),
    ("Bursa", ["Osmangazi", "Nilüfer", "Yıldırım"]),
    ("Eskişehir", ["Odunpazarı", "Tepebaşı"]),
    ("Muğla", ["Bodrum", "Fethiye", "Marmaris"]),
]
# Directory queries: lower and upper case, dotted and dotless i, words in the
# business names and in the descriptions.
QUERIES = ["çilingir", "ELEKTRİKÇİ", "tesisatçı", "ısıtma", "öztürk", "ŞOFBEN", "kombi bakımı",
           "Işık", "kadıköy", "parke"]


class Api:
    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port
        self.local = threading.local()
        self.requests = 0
        self.waits = 0

    def call(self, method, path, body=None, token=None, ok=(200, 201, 204)):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = json.dumps(body).encode() if body is not None else None
        for attempt in range(50):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                conn.request(method, "/api/v1" + path, body=data, headers=headers)
                r = conn.getresponse()
                raw = r.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                time.sleep(0.1)
                continue
            self.requests += 1
            if r.status == 429:
                self.waits += 1
                time.sleep(float(r.getheader("Retry-After", "1")))
                continue
            if r.status not in ok:
                raise RuntimeError(f"{method} {path}: {r.status} {raw[:300]!r}")
            return json.loads(raw) if raw else None
        raise RuntimeError(f"{method} {path}: gave up")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--api", required=True, help="http://127.0.0.1:PORT")
    p.add_argument("--out", required=True, help="writes OUT.lua and OUT.env")
    p.add_argument("--tradesmen", type=int, default=2000)
    p.add_argument("--conversations", type=int, default=50)
    p.add_argument("--history", type=int, default=200)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--prefix", default="hb%d" % random.randrange(10**6))
    a = p.parse_args()
    api = Api(a.api)
    rnd = random.Random(7)
    t0 = time.time()
    pool = concurrent.futures.ThreadPoolExecutor(a.concurrency)

    def register(name, role, display):
        r = api.call("POST", "/auth/register", {"username": name, "password": PASSWORD,
                                                 "display_name": display, "role": role})
        return r["token"], r["user"]["id"]

    main_token, main_id = register(f"{a.prefix}_main", "customer", "Ayşe Yılmaz")
    peers = list(pool.map(lambda i: register(f"{a.prefix}_peer{i}", "tradesman" if i % 2 else "customer",
                                             f"{rnd.choice(SURNAMES)} Usta {i}"),
                          range(a.conversations)))
    convs = list(pool.map(lambda pr: api.call("POST", "/conversations", {"peer_id": pr[1]}, main_token)["id"],
                          peers))
    history_conv = convs[0]
    peer_token = peers[0][0]

    def post(i):
        token = main_token if i % 2 == 0 else peer_token
        body = f"Merhaba, {i}. mesaj: yarın saat {9 + i % 9}:30 uygun mu? Şofbeni değiştirmek gerekiyor."
        return api.call("POST", f"/conversations/{history_conv}/messages",
                        {"body": body, "client_msg_id": f"{a.prefix}-h{i}"}, token)["id"]

    # The history in order (one sender after the other), the rest at once.
    history_ids = [post(i) for i in range(a.history)]
    list(pool.map(lambda k: api.call("POST", f"/conversations/{convs[k]}/messages",
                                     {"body": "İyi günler, fiyat bilgisi alabilir miyim?",
                                      "client_msg_id": f"{a.prefix}-c{k}"}, peers[k][0]),
                  range(1, len(convs))))

    def tradesman(i):
        cat, what = CATEGORIES[i % len(CATEGORIES)]
        city, districts = CITIES[(i // len(CATEGORIES)) % len(CITIES)]
        district = districts[i % len(districts)]
        surname = SURNAMES[(i * 7) % len(SURNAMES)]
        token, uid = register(f"{a.prefix}_t{i}", "tradesman", f"{surname} {cat}")
        api.call("PUT", "/me/profile", {
            "business_name": f"{surname} {cat} {i}",
            "category": cat, "city": city, "district": district,
            "description": f"{city} {district} bölgesinde {what}. Ücretsiz keşif, "
                           f"garantili işçilik, hafta sonu da çalışıyoruz.",
        }, token)
        return f"{a.prefix}_t{i}"

    usernames = list(pool.map(tradesman, range(a.tradesmen)))
    pool.shutdown()

    # Pages of the history for the older-page run: before the newest 50, 100, 150.
    before = [history_ids[-k] for k in (50, 100, 150) if k <= len(history_ids)] or [history_ids[-1] + 1]
    with open(a.out + ".lua", "w", encoding="utf-8") as f:
        f.write("return {\n")
        f.write(f"  token = {json.dumps(main_token)},\n")
        f.write(f"  history_conversation = {history_conv},\n")
        f.write("  history_before = {" + ", ".join(map(str, before)) + "},\n")
        f.write("  queries = {" + ", ".join(json.dumps(urllib.parse.quote(q)) for q in QUERIES) + "},\n")
        f.write(f"  password = {json.dumps(PASSWORD)},\n")
        f.write("  usernames = {" + ", ".join(json.dumps(u) for u in usernames) + "},\n")
        f.write("}\n")
    with open(a.out + ".env", "w", encoding="utf-8") as f:
        f.write(f"SEED_TOKEN={main_token}\nSEED_HISTORY_CONV={history_conv}\n")
        f.write(f"SEED_BEFORE={before[0]}\nSEED_USERNAME={usernames[0] if usernames else ''}\n")
        f.write(f"SEED_PASSWORD={PASSWORD}\n")
    print(f"seeded in {time.time() - t0:.1f} s: main user {main_id} with {len(convs)} conversations, "
          f"{len(history_ids)} messages in conversation {history_conv}, {len(usernames)} tradesmen; "
          f"{api.requests} requests, {api.waits} answered 429")


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as e:
        print(f"http-seed: {e}", file=sys.stderr)
        sys.exit(1)

package demo

import "tsunagu/internal/tsunagu"

// The demo network: 港区 runs it with seven partner cities across Japan. Codes of
// municipalities are the real 全国地方公共団体コード (the check digit is computed at
// load); people, telephone numbers (local exchanges of zeros, which are never
// assigned), corporate numbers, JAN codes and street numbers are made up. Facility
// mail goes to example.jp, staff accounts to .example.

type municipality struct {
	code5                string // first five digits of the 全国地方公共団体コード
	name, kana, en, pref string
	shop, shopAddress    string // the city hall's welfare shop
}

// municipalities lists the home municipality first, then its partners north to south.
var municipalities = []municipality{
	{"13103", "港区", "みなとく", "Minato City", "東京都", "港区役所 福祉ショップ つなぐ", "〒105-8511 東京都港区芝公園1-5-25 港区役所1階"},
	{"01204", "旭川市", "あさひかわし", "Asahikawa City", "北海道", "旭川市役所 ふくしの店", "〒070-8525 北海道旭川市7条通9丁目 旭川市役所1階"},
	{"04100", "仙台市", "せんだいし", "Sendai City", "宮城県", "仙台市役所 ふくしショップ 杜の市", "〒980-8671 宮城県仙台市青葉区国分町3-7-1 仙台市役所1階"},
	{"17201", "金沢市", "かなざわし", "Kanazawa City", "石川県", "金沢市役所 ふくしの店 かがのわ", "〒920-8577 石川県金沢市広坂1-1-1 金沢市役所1階"},
	{"20202", "松本市", "まつもとし", "Matsumoto City", "長野県", "松本市役所 ふくしの店", "〒390-8620 長野県松本市丸の内3-7 松本市役所1階"},
	{"39201", "高知市", "こうちし", "Kochi City", "高知県", "高知市役所 ふくしの店 よさこい", "〒780-8571 高知県高知市本町5-1-45 高知市役所1階"},
	{"43100", "熊本市", "くまもとし", "Kumamoto City", "熊本県", "熊本市役所 ふくしショップ ひごまる", "〒860-8601 熊本県熊本市中央区手取本町1-1 熊本市役所1階"},
	{"46201", "鹿児島市", "かごしまし", "Kagoshima City", "鹿児島県", "鹿児島市役所 ふくしの店", "〒892-8677 鹿児島県鹿児島市山下町11-1 鹿児島市役所1階"},
}

// warehouse is the home municipality's store room for goods in transit.
var warehouse = struct{ name, address string }{"つなぐ 芝浦倉庫", "東京都港区芝浦4丁目 芝浦ビル1階"}

type facility struct {
	key        string // what products refer to
	muni       string // code5 of its municipality
	name, kana string
	kind       tsunagu.FacilityKind
	corp       string
	// corpBase is the corporate number without its check digit (12 digits), or ""
	// when the operator is not a qualified-invoice issuer.
	corpBase                      string
	person, phone, email, address string
	// store names the facility's own stock room (a FACILITY location), "" for none.
	store string
}

const (
	kindA          = tsunagu.FacilityEmploymentA
	kindB          = tsunagu.FacilityEmploymentB
	kindTransition = tsunagu.FacilityEmploymentTransition
	kindLifeCare   = tsunagu.FacilityLifeCare
	kindOther      = tsunagu.FacilityOther
)

var facilities = []facility{
	{"niji", "13103", "ワークショップ虹", "わーくしょっぷにじ", kindB, "社会福祉法人みなと虹の会", "901040052817", "田中 美咲", "03-0000-4101", "niji@example.jp", "東京都港区三田2丁目", "ワークショップ虹 作業所"},
	{"himawari", "13103", "就労支援センターひまわり", "しゅうろうしえんせんたーひまわり", kindTransition, "NPO法人ひまわりの会", "", "佐藤 健一", "03-0000-4102", "himawari@example.jp", "東京都港区白金1丁目", ""},
	{"shibaura", "13103", "芝浦ベーカリー工房", "しばうらべーかりーこうぼう", kindA, "株式会社しばうらワークス", "901040137462", "鈴木 由美", "03-0000-4103", "shibaura-bakery@example.jp", "東京都港区芝浦3丁目", ""},
	{"asahi", "01204", "木工房あさひ", "もっこうぼうあさひ", kindB, "社会福祉法人旭川つどいの会", "945010023195", "高橋 誠", "0166-00-4201", "mokkou-asahi@example.jp", "北海道旭川市永山3条", "木工房あさひ 作業場"},
	{"yukinoshita", "01204", "生活介護事業所 ゆきのした", "せいかつかいごじぎょうしょ ゆきのした", kindLifeCare, "社会福祉法人大雪ふくし会", "", "伊藤 さおり", "0166-00-4202", "yukinoshita@example.jp", "北海道旭川市神楽2条", ""},
	{"miyagino", "04100", "みやぎの杜ワークス", "みやぎのもりわーくす", kindA, "株式会社杜のしごと", "937010086540", "渡辺 大輔", "022-000-4301", "morinoshigoto@example.jp", "宮城県仙台市宮城野区原町", ""},
	{"aoba", "04100", "生活介護 あおばの家", "せいかつかいご あおばのいえ", kindLifeCare, "社会福祉法人青葉福祉会", "937010112903", "山本 恵子", "022-000-4302", "aoba-no-ie@example.jp", "宮城県仙台市青葉区八幡", ""},
	{"kagayaki", "17201", "地域活動支援センター かがやき", "ちいきかつどうしえんせんたー かがやき", kindOther, "一般社団法人かなざわ地域ネット", "922010045718", "中村 亮", "076-000-4401", "kagayaki@example.jp", "石川県金沢市東山1丁目", ""},
	{"step", "17201", "就労移行支援事業所 ステップかなざわ", "しゅうろういこうしえんじぎょうしょ すてっぷかなざわ", kindTransition, "株式会社ステップアップ北陸", "922010098264", "小林 真理", "076-000-4402", "step-kanazawa@example.jp", "石川県金沢市本町2丁目", ""},
	{"agata", "20202", "あがたの森ワークス", "あがたのもりわーくす", kindB, "NPO法人あがたの森", "", "加藤 直子", "0263-00-4501", "agata@example.jp", "長野県松本市県3丁目", ""},
	{"suzuran", "20202", "生活介護 すずらん", "せいかつかいご すずらん", kindLifeCare, "社会福祉法人すずらん会", "", "吉田 浩", "0263-00-4502", "suzuran@example.jp", "長野県松本市島内", ""},
	{"kuroshio", "39201", "ワークセンターくろしお", "わーくせんたーくろしお", kindB, "社会福祉法人土佐くろしお会", "949010031587", "山田 千尋", "088-000-4601", "kuroshio@example.jp", "高知県高知市桟橋通4丁目", ""},
	{"higo", "43100", "ひごの里ファーム", "ひごのさとふぁーむ", kindA, "株式会社ひご農園", "933010074426", "松本 翔", "096-000-4701", "higo-farm@example.jp", "熊本県熊本市北区植木町", "ひごの里ファーム 出荷場"},
	{"sakurajima", "46201", "さくらじま工房", "さくらじまこうぼう", kindB, "NPO法人さくらじまの家", "", "井上 隼人", "099-000-4801", "sakurajima@example.jp", "鹿児島県鹿児島市桜島横山町", ""},
}

type product struct {
	fac   string // facility key
	cat   tsunagu.Category
	code  string // 12 digits without the check digit: 45… a JAN, 20…/02… an in-store code; "" for none
	price int64  // yen, tax included
	// allergens are tsunagu.Allergen values separated by spaces.
	allergens      string
	name, en, easy string // ja, en, やさしい日本語 ("" for none)
	desc           string // ja
	draft          bool
}

const (
	food       = tsunagu.CategoryFood
	sweets     = tsunagu.CategorySweets
	bakery     = tsunagu.CategoryBakery
	beverage   = tsunagu.CategoryBeverage
	craft      = tsunagu.CategoryCraft
	textile    = tsunagu.CategoryTextile
	stationery = tsunagu.CategoryStationery
	household  = tsunagu.CategoryHousehold
	plant      = tsunagu.CategoryPlant
	other      = tsunagu.CategoryOther
)

// products are loaded in this order; the DRAFT ones are being prepared (and one is a
// discontinued item waiting to be archived).
var products = []product{
	// 港区
	{"niji", sweets, "458900100001", 350, "WHEAT EGG MILK", "バタークッキー", "Butter Cookies", "バターの クッキー", "国産小麦とバターで焼いた、さくさくのクッキーです。8枚入り。", false},
	{"niji", sweets, "458900100002", 350, "WHEAT EGG MILK", "ココアクッキー", "Cocoa Cookies", "ココアの クッキー", "ほろ苦いココアのクッキーです。8枚入り。", false},
	{"niji", sweets, "458900100003", 600, "WHEAT EGG MILK", "マドレーヌ 5個入り", "Madeleines (5 pieces)", "", "はちみつの香りのしっとりしたマドレーヌです。", false},
	{"niji", craft, "458900100004", 400, "", "ビーズのストラップ", "Beaded Strap", "", "ひとつずつ手で編んだビーズのストラップです。色はおまかせです。", false},
	{"niji", textile, "458900100005", 1800, "", "布ぞうり", "Cloth Sandals", "ぬので つくった ぞうり", "古布を編んで作った室内ばきです。足うらが気持ちいいと評判です。", false},
	{"niji", sweets, "458900100006", 380, "WHEAT EGG MILK", "季節のクッキー（いちご）", "Seasonal Cookies (Strawberry)", "", "春限定のいちごのクッキーです。販売準備中。", true},
	{"himawari", stationery, "458900200001", 500, "", "和紙のレターセット", "Washi Letter Set", "わしの びんせんと ふうとう", "便せん10枚と封筒5枚のセットです。", false},
	{"himawari", stationery, "458900200002", 800, "", "手作りカレンダー 2027", "Handmade Calendar 2027", "", "利用者が描いた絵の卓上カレンダーです。", false},
	{"himawari", stationery, "458900200003", 300, "", "ポチ袋 5枚セット", "Money Envelopes (5)", "", "お年玉やお礼に使える小さな袋です。", false},
	{"himawari", textile, "458900200004", 900, "", "布のブックカバー（文庫本サイズ）", "Cloth Book Cover (Paperback)", "", "綿の布で作った文庫本用のカバーです。", false},
	{"himawari", stationery, "458900200005", 300, "", "東京タワーのポストカード 3枚組", "Tokyo Tower Postcards (3)", "とうきょうタワーの はがき", "港区の景色を描いたポストカードです。", false},
	{"himawari", other, "458900200006", 200, "", "缶バッジ", "Button Badge", "", "オリジナルのイラストの缶バッジです。", false},
	{"shibaura", bakery, "200000100001", 250, "WHEAT MILK WALNUT", "くるみぱん", "Walnut Bread Roll", "くるみの パン", "くるみがたっぷり入ったパンです。毎朝焼いています。", false},
	{"shibaura", bakery, "200000100002", 200, "WHEAT EGG MILK", "あんぱん", "Sweet Bean Bun", "あんこの パン", "北海道産小豆のつぶあんを包みました。", false},
	{"shibaura", bakery, "020000100003", 450, "WHEAT MILK", "山型食パン", "Loaf of White Bread", "しょくパン", "国産小麦で焼いた1斤の食パンです。", false},
	{"shibaura", bakery, "200000100004", 220, "WHEAT EGG MILK", "メロンパン", "Melon Bun", "", "外はさくさく、中はふんわりのメロンパンです。", false},
	{"shibaura", sweets, "458900300001", 380, "WHEAT MILK", "ラスク（シュガー）", "Sugar Rusks", "", "食パンを焼き上げたかりかりのラスクです。", false},
	{"shibaura", sweets, "458900300002", 480, "EGG MILK", "米粉のシフォンケーキ", "Rice-Flour Chiffon Cake", "こめこの ケーキ", "小麦粉を使わず米粉で焼いたシフォンケーキです。", false},
	{"shibaura", bakery, "458900300003", 280, "WHEAT EGG MILK BEEF SOYBEAN APPLE", "焼きカレーパン", "Baked Curry Bun", "", "油で揚げずに焼いたカレーパンです。販売準備中。", true},
	// 旭川市
	{"asahi", household, "458900400001", 1200, "", "木のスプーン", "Wooden Spoon", "きの スプーン", "北海道のイタヤカエデを削ったスプーンです。", false},
	{"asahi", household, "458900400002", 2800, "", "カッティングボード（ナラ材）", "Oak Cutting Board", "", "旭川の家具職人に教わって作ったまな板です。", false},
	{"asahi", household, "458900400003", 900, "", "木のバターナイフ", "Wooden Butter Knife", "", "手になじむ形のバターナイフです。", false},
	{"asahi", craft, "458900400004", 1500, "", "木のパズル どうぶつ", "Wooden Animal Puzzle", "きの パズル", "動物の形の木のパズルです。角を丸くしてあります。", false},
	{"asahi", household, "458900400005", 700, "", "木のコースター 2枚組", "Wooden Coasters (2)", "", "年輪が美しいコースターです。", false},
	{"asahi", stationery, "458900400006", 1100, "", "木製ペン立て", "Wooden Pen Stand", "", "端材を組み合わせたペン立てです。", false},
	{"yukinoshita", craft, "458900500001", 600, "", "羊毛フェルトのマスコット", "Felted Wool Mascot", "", "ふわふわの羊毛で作ったシマエナガのマスコットです。", false},
	{"yukinoshita", textile, "458900500002", 1500, "", "さをり織りのポーチ", "Saori-Woven Pouch", "てで おった ポーチ", "自由な色づかいのさをり織りのポーチです。", false},
	{"yukinoshita", household, "458900500003", 200, "", "アクリルたわし", "Acrylic Scrubber", "", "洗剤が少なくてすむ、手編みのたわしです。", false},
	{"yukinoshita", textile, "458900500004", 3000, "", "さをり織りのストール", "Saori-Woven Stole", "", "一枚ずつ柄がちがう手織りのストールです。", false},
	// 仙台市
	{"miyagino", sweets, "458900600001", 400, "WHEAT EGG MILK SOYBEAN", "ずんだクッキー", "Edamame Cookies", "えだまめの クッキー", "宮城の枝豆を練りこんだクッキーです。", false},
	{"miyagino", food, "458900600002", 700, "SOYBEAN", "仙台みそ 500g", "Sendai Miso (500 g)", "みそ", "米こうじで長く熟成させた赤みそです。", false},
	{"miyagino", food, "458900600003", 500, "SOYBEAN", "ずんだあん", "Sweet Edamame Paste", "", "お餅やトーストにのせてどうぞ。冷凍でお届けします。", false},
	{"miyagino", food, "458900600004", 800, "WHEAT MILK BEEF SOYBEAN APPLE", "牛たんカレー（レトルト）", "Beef Tongue Curry (Retort Pouch)", "", "仙台名物の牛たんを煮込んだカレーです。温めるだけ。", false},
	{"miyagino", beverage, "458900600005", 450, "", "宮城の玄米茶", "Miyagi Brown Rice Tea", "", "香ばしい玄米茶のティーバッグ10個入りです。", false},
	{"aoba", textile, "458900700001", 800, "", "手織りコースター", "Hand-Woven Coaster", "てで おった コースター", "木綿の糸で織った厚手のコースターです。", false},
	{"aoba", textile, "458900700002", 700, "", "刺し子のふきん", "Sashiko Dish Cloth", "さしこの ふきん", "ひと針ずつ刺した丈夫なふきんです。", false},
	{"aoba", textile, "458900700003", 1600, "", "手織りのランチョンマット", "Hand-Woven Place Mat", "", "食卓が明るくなる手織りのマットです。", false},
	{"aoba", craft, "458900700004", 450, "", "こけしのマグネット", "Kokeshi Magnet", "", "宮城の伝統こけしを小さなマグネットにしました。", false},
	// 金沢市
	{"kagayaki", craft, "458900800001", 800, "", "水引の箸置き 2個組", "Mizuhiki Chopstick Rests (2)", "", "お祝いの水引を結んだ箸置きです。", false},
	{"kagayaki", craft, "458900800002", 1000, "", "加賀てまりのキーホルダー", "Kaga Temari Key Ring", "てまりの キーホルダー", "色とりどりの糸でかがった小さなてまりです。", false},
	{"kagayaki", stationery, "458900800003", 500, "", "金箔のしおり", "Gold Leaf Bookmark", "", "金沢の金箔をあしらったしおりです。", false},
	{"kagayaki", household, "", 1800, "", "絵付けの豆皿", "Hand-Painted Small Plate", "", "利用者が一枚ずつ絵付けした豆皿です。一点ものです。", false},
	{"kagayaki", craft, "458900800005", 1200, "", "【販売終了】水引のブローチ（旧デザイン）", "Mizuhiki Brooch (Old Design, Discontinued)", "", "旧デザインのため販売を終了しました。", true},
	{"step", beverage, "458900900001", 600, "", "加賀棒茶 ティーバッグ 10個入り", "Kaga Roasted Stem Tea (10 Bags)", "ほうじちゃ", "茎をじっくり焙じた香りのよいお茶です。", false},
	{"step", sweets, "458900900002", 350, "", "さつまいもチップス", "Sweet Potato Chips", "", "金沢の砂地で育ったさつまいものチップスです。", false},
	{"step", sweets, "458900900003", 300, "WHEAT", "黒糖かりんとう", "Brown Sugar Karinto", "", "沖縄の黒糖をからめたかりんとうです。", false},
	{"step", beverage, "458900900004", 1500, "", "珈琲豆 つなぐブレンド 200g", "Coffee Beans, Tsunagu Blend (200 g)", "コーヒーの まめ", "利用者が一回ずつ焙煎した中深煎りの豆です。", false},
	{"step", beverage, "458900900005", 700, "", "ドリップコーヒー 5袋入り", "Drip Coffee (5 Bags)", "", "カップにのせてお湯を注ぐだけのドリップバッグです。", false},
	// 松本市
	{"agata", food, "459100100001", 650, "APPLE", "りんごジャム", "Apple Jam", "りんごの ジャム", "信州のふじで作った瓶入りのジャムです。", false},
	{"agata", food, "459100100002", 700, "BUCKWHEAT WHEAT", "信州そば（乾麺 2人前）", "Shinshu Soba Noodles (2 Servings)", "そば", "そば粉を八割使った乾麺です。", false},
	{"agata", beverage, "459100100003", 600, "APPLE", "りんごジュース 1L", "Apple Juice (1 L)", "りんごの ジュース", "りんごをしぼっただけのストレートジュースです。", false},
	{"agata", sweets, "459100100004", 400, "BUCKWHEAT WHEAT EGG", "そばぼうろ", "Buckwheat Biscuits", "", "そば粉の香ばしい焼き菓子です。", false},
	{"agata", food, "459100100005", 450, "APPLE", "ドライりんご", "Dried Apple", "", "砂糖を使わずに干したりんごです。", false},
	{"agata", food, "459100100006", 550, "WALNUT SOYBEAN", "信州くるみみそ", "Shinshu Walnut Miso", "", "くるみをすりこんだ甘いみそです。五平餅やおにぎりに。", false},
	{"suzuran", plant, "459100200001", 300, "", "ハーブの苗（バジル）", "Basil Seedling", "バジルの なえ", "種から育てたバジルの苗です。", false},
	{"suzuran", plant, "", 1200, "", "多肉植物の寄せ植え", "Succulent Arrangement", "", "小さな鉢にいろいろな多肉植物を植えました。一点ものです。", false},
	{"suzuran", stationery, "459100200003", 250, "", "押し花のしおり", "Pressed Flower Bookmark", "", "安曇野の野の花を押し花にしました。", false},
	{"suzuran", household, "459100200004", 500, "", "ラベンダーのサシェ", "Lavender Sachet", "", "乾かしたラベンダーを布の袋に詰めました。", false},
	// 高知市
	{"kuroshio", food, "459100300001", 650, "", "ゆずジャム", "Yuzu Jam", "ゆずの ジャム", "高知のゆずを皮ごと煮た瓶入りのジャムです。", false},
	{"kuroshio", sweets, "459100300002", 350, "", "芋けんぴ", "Candied Sweet Potato Sticks", "いもの おかし", "細切りのさつまいもを揚げて蜜をからめました。", false},
	{"kuroshio", food, "459100300003", 600, "WHEAT SOYBEAN", "ゆずぽん酢", "Yuzu Ponzu Sauce", "", "ゆずの果汁たっぷりのぽん酢です。", false},
	{"kuroshio", stationery, "459100300004", 500, "", "土佐和紙のはがき 5枚組", "Tosa Washi Postcards (5)", "", "手すきの土佐和紙のはがきです。", false},
	{"kuroshio", food, "459100300005", 500, "", "かつお節 削り節パック", "Bonito Flakes (Packs)", "", "土佐のかつお節を使い切りのパックにしました。", false},
	{"kuroshio", beverage, "459100300006", 800, "", "しょうがシロップ", "Ginger Syrup", "しょうがの シロップ", "高知のしょうがで作ったシロップです。お湯や炭酸で割って。", false},
	// 熊本市
	{"higo", beverage, "459100400001", 400, "", "トマトジュース（無塩）", "Tomato Juice (Unsalted)", "トマトの ジュース", "完熟トマトだけをしぼったジュースです。", false},
	{"higo", sweets, "459100400002", 800, "WHEAT", "いきなり団子（冷凍 4個入り）", "Ikinari Dango (Frozen, 4 Pieces)", "", "さつまいもとあんこを生地で包んで蒸した熊本の郷土菓子です。", false},
	{"higo", food, "459100400003", 500, "", "ドライトマト", "Dried Tomatoes", "", "天日で干したミニトマトです。", false},
	{"higo", food, "459100400004", 600, "", "熊本の黒米 300g", "Kumamoto Black Rice (300 g)", "くろい おこめ", "白米に少し混ぜて炊くと、もちもちの紫ごはんになります。", false},
	{"higo", food, "459100400005", 700, "", "不知火のマーマレード", "Shiranui Citrus Marmalade", "", "熊本の柑橘、不知火の皮で作った瓶入りのマーマレードです。", false},
	{"higo", food, "459100400006", 550, "", "トマトケチャップ", "Tomato Ketchup", "", "農園のトマトで作るケチャップです。販売準備中。", true},
	// 鹿児島市
	{"sakurajima", food, "459100500001", 500, "PEANUT SOYBEAN", "落花生みそ", "Peanut Miso", "ピーナッツの みそ", "炒った落花生を麦みそと黒糖で練りました。", false},
	{"sakurajima", sweets, "459100500002", 700, "YAM", "かるかん", "Karukan (Yam Cake)", "", "山芋と米粉で作った鹿児島のふわふわの蒸し菓子です。", false},
	{"sakurajima", sweets, "459100500003", 380, "WHEAT EGG MILK PEANUT", "ピーナッツクッキー", "Peanut Cookies", "", "落花生をたっぷり入れたクッキーです。", false},
	{"sakurajima", beverage, "459100500004", 900, "", "知覧茶（煎茶 100g）", "Chiran Green Tea (Sencha, 100 g)", "みどりの おちゃ", "南九州の知覧で育った深蒸しの煎茶です。", false},
	{"sakurajima", household, "459100500005", 1600, "", "桜島の灰釉 湯のみ", "Sakurajima Ash-Glazed Teacup", "", "桜島の火山灰を釉薬にした湯のみです。", false},
	{"sakurajima", sweets, "459100500006", 400, "PEANUT", "黒糖ピーナッツ", "Brown Sugar Peanuts", "", "落花生に奄美の黒糖をからめました。", false},
}

// moreNames gives a few products (by Japanese name) names in Chinese and Korean.
var moreNames = map[string]struct{ zh, ko string }{
	"バタークッキー":          {"黄油曲奇", "버터 쿠키"},
	"くるみぱん":            {"核桃面包", "호두빵"},
	"木のスプーン":           {"木勺", "나무 숟가락"},
	"手織りコースター":         {"手工编织杯垫", "수직 코스터"},
	"珈琲豆 つなぐブレンド 200g": {"咖啡豆 Tsunagu 综合 200克", "커피 원두 츠나구 블렌드 200g"},
	"りんごジャム":           {"苹果果酱", "사과잼"},
	"信州そば（乾麺 2人前）":     {"信州荞麦面（干面，2人份）", "신슈 소바(건면, 2인분)"},
	"トマトジュース（無塩）":      {"番茄汁（无盐）", "토마토 주스(무염)"},
	"落花生みそ":            {"花生味噌", "땅콩 된장"},
	"知覧茶（煎茶 100g）":     {"知览茶（煎茶 100克）", "지란차(센차 100g)"},
}

type user struct {
	role            tsunagu.Role
	email, password string
	name            string
	// muni is the code5 of a manager's municipality, or of a clerk's city-hall shop.
	muni string
	// facility is the key of a FACILITY account's facility.
	facility string
	scope    string
}

// users are the demo accounts. Their passwords are printed in dev mode: never reuse them.
var users = []user{
	{tsunagu.RoleAdmin, "admin@tsunagu.example", "demo-admin-2026", "つなぐ事務局 管理者", "", "", "ネットワーク全体"},
	{tsunagu.RoleManager, "manager@minato.example", "demo-minato-2026", "港区 障害者福祉課 山口 花子", "13103", "", "港区"},
	{tsunagu.RoleManager, "manager@asahikawa.example", "demo-asahi-2026", "旭川市 障がい福祉課 木村 拓也", "01204", "", "旭川市"},
	{tsunagu.RoleClerk, "clerk@minato.example", "demo-clerk-2026", "港区役所 福祉ショップ 林 美穂", "13103", "", "港区役所 福祉ショップ つなぐ"},
	// The makers: the staff of a facility see its goods, its stock room, its sales
	// and its statements.
	{tsunagu.RoleFacility, "staff@niji.example", "demo-niji-2026", "ワークショップ虹 田中 美咲", "", "niji", "ワークショップ虹"},
	// A clerk at each partner's city-hall shop.
	{tsunagu.RoleClerk, "clerk@asahikawa.example", "demo-asahikawa-2026", "旭川市役所 ふくしの店 斎藤 陽菜", "01204", "", "旭川市役所 ふくしの店"},
	{tsunagu.RoleClerk, "clerk@sendai.example", "demo-sendai-2026", "杜の市 佐々木 大樹", "04100", "", "仙台市役所 ふくしショップ 杜の市"},
	{tsunagu.RoleClerk, "clerk@kanazawa.example", "demo-kanazawa-2026", "かがのわ 前田 彩", "17201", "", "金沢市役所 ふくしの店 かがのわ"},
	{tsunagu.RoleClerk, "clerk@matsumoto.example", "demo-matsumoto-2026", "松本市役所 ふくしの店 丸山 健", "20202", "", "松本市役所 ふくしの店"},
	{tsunagu.RoleClerk, "clerk@kochi.example", "demo-kochi-2026", "よさこい 坂本 舞", "39201", "", "高知市役所 ふくしの店 よさこい"},
	{tsunagu.RoleClerk, "clerk@kumamoto.example", "demo-kumamoto-2026", "ひごまる 緒方 蓮", "43100", "", "熊本市役所 ふくしショップ ひごまる"},
	{tsunagu.RoleClerk, "clerk@kagoshima.example", "demo-kagoshima-2026", "鹿児島市役所 ふくしの店 西郷 結衣", "46201", "", "鹿児島市役所 ふくしの店"},
}

// The console's own words, in Japanese (furigana marked {漢字|かんじ}), やさしい日本語 and
// English; every entry has all three. The display preferences (language,
// furigana, large text) and the words for the API's error codes are the POS app's,
// shared: a switch made at the counter holds in the console, and one error reads
// the same in both apps.
//
// t(key, vars) gives nodes (ruby in furigana mode; values stay plain text or the
// node given); ts(key, vars) gives plain text for attributes.

import { errNode as apiErrNode, getPrefs, t as posT, ts as posTs } from "../pos/i18n.js";
import { h } from "../pos/dom.js";

const M = {
  appName: { ja: "つなぐ {管理|かんり}コンソール", easy: "つなぐ {管理|かんり}の {画面|がめん}", en: "Tsunagu console" },
  navLabel: { ja: "メニュー", easy: "メニュー", en: "Menu" },
  loading: { ja: "{読|よ}み{込|こ}み{中|ちゅう}…", easy: "{読|よ}んでいます…", en: "Loading…" },
  saved: { ja: "{保存|ほぞん}しました。", easy: "{保存|ほぞん}しました。", en: "Saved." },
  save: { ja: "{保存|ほぞん}する", easy: "{保存|ほぞん}する", en: "Save" },
  close: { ja: "{閉|と}じる", easy: "とじる", en: "Close" },
  none: { ja: "ありません。", easy: "ありません。", en: "None." },
  next: { ja: "{次|つぎ}の{ページ|ぺーじ}", easy: "つぎの ページ", en: "Next page" },
  prev: { ja: "{前|まえ}のページ", easy: "まえの ページ", en: "Previous page" },
  pageN: { ja: "{n}ページ{目|め}", easy: "{n}ページ め", en: "Page {n}" },
  roleADMIN: { ja: "ネットワーク{管理者|かんりしゃ}", easy: "ぜんたいの {管理|かんり}を する {人|ひと}", en: "Network administrator" },
  roleMANAGER: { ja: "{自治体|じちたい}の{担当者|たんとうしゃ}", easy: "{市役所|しやくしょ}の {人|ひと}", en: "Municipality manager" },
  roleFACILITY: { ja: "{事業所|じぎょうしょ}の{職員|しょくいん}", easy: "{事業所|じぎょうしょ}の {人|ひと}", en: "Facility staff" },

  notForRole: { ja: "このアカウントではコンソールを{使|つか}えません。レジはレジの{画面|がめん}で{使|つか}ってください。", easy: "この アカウントでは この {画面|がめん}を {使|つか}えません。", en: "This account cannot use the console. Clerks use the POS app." },

  navHome: { ja: "ホーム", easy: "ホーム", en: "Home" },
  navProducts: { ja: "{商品|しょうひん}", easy: "{商品|しょうひん}", en: "Products" },
  navStock: { ja: "{在庫|ざいこ}", easy: "{在庫|ざいこ}", en: "Stock" },
  navTransfers: { ja: "{移動|いどう}（{交換|こうかん}）", easy: "{商品|しょうひん}を {送|おく}る", en: "Transfers" },
  navSettlement: { ja: "{精算|せいさん}", easy: "お{金|かね}の {計算|けいさん}", en: "Settlement" },

  homeTitle: { ja: "やること", easy: "やる こと", en: "To do" },
  homeFor: { ja: "{name}（{role}）", easy: "{name}（{role}）", en: "{name} ({role})" },
  toApprove: { ja: "{承認|しょうにん}を{待|ま}つ{移動|いどう}", easy: "「いい」と {言|い}う のを まっている {送|おく}りもの", en: "Transfers to approve" },
  toShip: { ja: "{発送|はっそう}を{待|ま}つ{移動|いどう}", easy: "{送|おく}る のを まっている {送|おく}りもの", en: "Transfers to ship" },
  toReceive: { ja: "{受|う}け{取|と}りを{待|ま}つ{移動|いどう}", easy: "とどく のを まっている {送|おく}りもの", en: "Transfers to receive" },
  lowStock: { ja: "{在庫|ざいこ}が{少|すく}ない{商品|しょうひん}（{発注点|はっちゅうてん}{未満|みまん}）", easy: "{在庫|ざいこ}が すくない {商品|しょうひん}", en: "Low stock (below the reorder point)" },
  pickupWaiting: { ja: "{受|う}け{取|と}り{待|ま}ちの{注文|ちゅうもん}", easy: "とりに くるのを まっている {注文|ちゅうもん}", en: "Pickup orders waiting" },
  monthSales: { ja: "{今月|こんげつ}の{売上|うりあげ}（{month}）", easy: "{今月|こんげつ} {売|う}れた {金額|きんがく}（{month}）", en: "Sales this month ({month})" },
  soldOfOurs: { ja: "{自治体|じちたい}の{商品|しょうひん}の{売上|うりあげ}", easy: "わたしたちの {商品|しょうひん}が {売|う}れた {金額|きんがく}", en: "Our goods sold" },
  soldAtOurShops: { ja: "{自治体|じちたい}のお{店|みせ}の{売上|うりあげ}", easy: "わたしたちの {店|みせ}で {売|う}れた {金額|きんがく}", en: "Sold at our shops" },
  soldNetwork: { ja: "ネットワーク{全体|ぜんたい}の{売上|うりあげ}", easy: "ぜんたいで {売|う}れた {金額|きんがく}", en: "Sold across the network" },
  soldFacility: { ja: "{事業所|じぎょうしょ}の{商品|しょうひん}の{売上|うりあげ}", easy: "{事業所|じぎょうしょ}の {商品|しょうひん}が {売|う}れた {金額|きんがく}", en: "The facility's goods sold" },
  units: { ja: "{n}{個|こ}", easy: "{n}こ", en: "{n} units" },
  transferLine: { ja: "{from} → {to}（{n}{品目|ひんもく}）", easy: "{from} → {to}（{商品|しょうひん} {n}しゅるい）", en: "{from} → {to} ({n} products)" },
  levelLine: { ja: "{location}：{available}{個|こ}（{発注点|はっちゅうてん} {point}）", easy: "{location}：{available}こ（{発注点|はっちゅうてん} {point}）", en: "{location}: {available} available (reorder at {point})" },
  orderLine: { ja: "{shop}：{n}{件|けん}", easy: "{shop}：{n}けん", en: "{shop}: {n}" },
  countBadge: { ja: "{n}{件|けん}", easy: "{n}けん", en: "{n}" },

  productsTitle: { ja: "{商品|しょうひん}", easy: "{商品|しょうひん}", en: "Products" },
  newProduct: { ja: "{商品|しょうひん}を{登録|とうろく}する", easy: "{商品|しょうひん}を ふやす", en: "Add a product" },
  searchText: { ja: "{名前|なまえ}で{探|さが}す（どの{言語|げんご}でも）", easy: "{名前|なまえ}で さがす", en: "Search by name (any language)" },
  filterFacility: { ja: "{事業所|じぎょうしょ}", easy: "{事業所|じぎょうしょ}", en: "Facility" },
  filterStatus: { ja: "{状態|じょうたい}", easy: "{状態|じょうたい}", en: "Status" },
  filterCategory: { ja: "{分類|ぶんるい}", easy: "しゅるい", en: "Category" },
  all: { ja: "すべて", easy: "ぜんぶ", en: "All" },
  searchButton: { ja: "{絞|しぼ}り{込|こ}む", easy: "さがす", en: "Filter" },
  productsCaption: { ja: "{商品|しょうひん}の{一覧|いちらん}", easy: "{商品|しょうひん}の リスト", en: "Products" },
  colName: { ja: "{名前|なまえ}", easy: "{名前|なまえ}", en: "Name" },
  colCode: { ja: "コード", easy: "コード", en: "Code" },
  colPrice: { ja: "{価格|かかく}（{税込|ぜいこみ}）", easy: "ねだん（{税金|ぜいきん}を ふくむ）", en: "Price (tax incl.)" },
  colStatus: { ja: "{状態|じょうたい}", easy: "{状態|じょうたい}", en: "Status" },
  colFacility: { ja: "{事業所|じぎょうしょ}", easy: "{事業所|じぎょうしょ}", en: "Facility" },
  DRAFT: { ja: "{下書|したが}き", easy: "まだ {出|だ}さない", en: "Draft" },
  ACTIVE: { ja: "{販売中|はんばいちゅう}", easy: "{売|う}っている", en: "Active" },
  ARCHIVED: { ja: "{販売終了|はんばいしゅうりょう}", easy: "もう {売|う}らない", en: "Archived" },
  FOOD: { ja: "{食品|しょくひん}", easy: "{食|た}べもの", en: "Food" },
  SWEETS: { ja: "お{菓子|かし}", easy: "おかし", en: "Sweets" },
  BAKERY: { ja: "パン", easy: "パン", en: "Bakery" },
  BEVERAGE: { ja: "{飲料|いんりょう}", easy: "{飲|の}みもの", en: "Beverages" },
  CRAFT: { ja: "{工芸品|こうげいひん}", easy: "{手|て}で {作|つく}った もの", en: "Crafts" },
  TEXTILE: { ja: "{布製品|ぬのせいひん}", easy: "{布|ぬの}の もの", en: "Textiles" },
  STATIONERY: { ja: "{文具|ぶんぐ}", easy: "{文房具|ぶんぼうぐ}", en: "Stationery" },
  HOUSEHOLD: { ja: "{日用品|にちようひん}", easy: "{毎日|まいにち} {使|つか}う もの", en: "Household goods" },
  PLANT: { ja: "{植物|しょくぶつ}", easy: "{植物|しょくぶつ}", en: "Plants" },
  OTHER: { ja: "その{他|た}", easy: "ほか", en: "Other" },
  edit: { ja: "{編集|へんしゅう}", easy: "なおす", en: "Edit" },
  editProductNamed: { ja: "{name}を{編集|へんしゅう}", easy: "{name}を なおす", en: "Edit {name}" },

  editorNew: { ja: "{商品|しょうひん}の{登録|とうろく}", easy: "{商品|しょうひん}を ふやす", en: "New product" },
  editorEdit: { ja: "{商品|しょうひん}の{編集|へんしゅう}", easy: "{商品|しょうひん}を なおす", en: "Edit product" },
  backToList: { ja: "{商品|しょうひん}の{一覧|いちらん}へ{戻|もど}る", easy: "{商品|しょうひん}の リストへ もどる", en: "Back to the products" },
  facility: { ja: "{作|つく}った{事業所|じぎょうしょ}", easy: "{作|つく}った {事業所|じぎょうしょ}", en: "Made by (facility)" },
  translations: { ja: "{名前|なまえ}と{説明|せつめい}（{言語|げんご}ごと）", easy: "{名前|なまえ}と {説明|せつめい}（ことばごと）", en: "Name and description, per language" },
  translationsHint: { ja: "{日本語|にほんご}は{必須|ひっす}です。ほかの{言語|げんご}が{空|から}のときは{日本語|にほんご}が{出|で}ます。", easy: "{日本語|にほんご}は かならず {入|い}れます。ほかの ことばが ないと {日本語|にほんご}が {出|で}ます。", en: "Japanese is required; a language left empty shows the Japanese." },
  JA: { ja: "{日本語|にほんご}", easy: "{日本語|にほんご}", en: "Japanese" },
  JA_X_EASY: { ja: "やさしい{日本語|にほんご}", easy: "やさしい {日本語|にほんご}", en: "Easy Japanese" },
  EN: { ja: "{英語|えいご}", easy: "{英語|えいご}", en: "English" },
  ZH: { ja: "{中国語|ちゅうごくご}", easy: "{中国語|ちゅうごくご}", en: "Chinese" },
  KO: { ja: "{韓国語|かんこくご}", easy: "{韓国語|かんこくご}", en: "Korean" },
  nameIn: { ja: "{名前|なまえ}（{lang}）", easy: "{名前|なまえ}（{lang}）", en: "Name ({lang})" },
  descIn: { ja: "{説明|せつめい}（{lang}）", easy: "{説明|せつめい}（{lang}）", en: "Description ({lang})" },
  nameReading: { ja: "{名前|なまえ}の{読|よ}み（ふりがな）", easy: "{名前|なまえ}の {読|よ}みかた（ふりがな）", en: "Reading of the Japanese name (furigana)" },
  nameReadingHint: { ja: "ひらがなかカタカナで{入|い}れてください。", easy: "ひらがなか カタカナで {入|い}れて ください。", en: "In hiragana or katakana." },
  kanaOnly: { ja: "ひらがなかカタカナだけで{入|い}れてください。", easy: "ひらがなか カタカナだけで {入|い}れて ください。", en: "Use hiragana or katakana only." },
  category: { ja: "{分類|ぶんるい}", easy: "しゅるい", en: "Category" },
  code: { ja: "JAN コード（バーコードの{数字|すうじ}）", easy: "バーコードの {数字|すうじ}", en: "JAN code (the barcode's digits)" },
  codeHint: { ja: "8{桁|けた}か13{桁|けた}。{最後|さいご}の{数字|すうじ}（チェックデジット）を{入力|にゅうりょく}しながら{確|たし}かめます。", easy: "8けたか 13けた。さいごの {数字|すうじ}が {正|ただ}しいか {入|い}れながら みます。", en: "8 or 13 digits. The last digit (the check digit) is checked as you type." },
  codeOk: { ja: "チェックデジットは{正|ただ}しいです。", easy: "さいごの {数字|すうじ}は {正|ただ}しいです。", en: "The check digit is correct." },
  codeBad: { ja: "チェックデジットが{違|ちが}います。{最後|さいご}の{数字|すうじ}は {d} のはずです。", easy: "さいごの {数字|すうじ}が ちがいます。{d} の はずです。", en: "The check digit is wrong: the last digit should be {d}." },
  codeLength: { ja: "8{桁|けた}か13{桁|けた}の{数字|すうじ}で{入|い}れてください（いま {n}{桁|けた}）。", easy: "8けたか 13けたの {数字|すうじ}で {入|い}れて ください（いま {n}けた）。", en: "Enter 8 or 13 digits (now {n})." },
  codeDigits: { ja: "{数字|すうじ}だけで{入|い}れてください。", easy: "{数字|すうじ}だけで {入|い}れて ください。", en: "Use digits only." },
  price: { ja: "{価格|かかく}（{税込|ぜいこみ}・{円|えん}）", easy: "ねだん（{税金|ぜいきん}を ふくむ・{円|えん}）", en: "Price (tax included, yen)" },
  taxClass: { ja: "{消費税|しょうひぜい}の{税率|ぜいりつ}", easy: "{税金|ぜいきん}の わりあい", en: "Consumption tax rate" },
  REDUCED_8: { ja: "8%（{軽減税率|けいげんぜいりつ}：{食品|しょくひん}・{飲料|いんりょう}）", easy: "8%（{食|た}べもの・{飲|の}みもの）", en: "8% (reduced: food and drink)" },
  STANDARD_10: { ja: "10%（{標準税率|ひょうじゅんぜいりつ}）", easy: "10%（ほかの もの）", en: "10% (standard)" },
  priceTax: { ja: "うち{消費税|しょうひぜい} {tax}", easy: "{税金|ぜいきん}は {tax}", en: "of which tax {tax}" },
  allergens: { ja: "アレルギー{物質|ぶっしつ}", easy: "アレルギーの もと", en: "Allergens" },
  allergensMandatory: { ja: "{特定原材料|とくていげんざいりょう}（{表示|ひょうじ}{義務|ぎむ}・8{品目|ひんもく}）", easy: "かならず {書|か}く 8つ", en: "Mandatory to label (8 items)" },
  allergensRecommended: { ja: "{特定原材料|とくていげんざいりょう}に{準|じゅん}ずるもの（{表示|ひょうじ}{推奨|すいしょう}）", easy: "できれば {書|か}く もの", en: "Recommended to label" },
  status: { ja: "{状態|じょうたい}", easy: "{状態|じょうたい}", en: "Status" },
  pictures: { ja: "{写真|しゃしん}", easy: "{写真|しゃしん}", en: "Pictures" },
  pictureChoose: { ja: "{写真|しゃしん}を{加|くわ}える（ファイルを{選|えら}ぶ）", easy: "{写真|しゃしん}を ふやす（ファイルを えらぶ）", en: "Add a picture (choose a file)" },
  pictureHint: { ja: "JPEG・PNG・WebP、{mb} MB まで、{n}{枚|まい}まで。{保存|ほぞん}すると{商品|しょうひん}に{付|つ}きます。", easy: "JPEG・PNG・WebP。{mb} MB まで。{n}まい まで。「{保存|ほぞん}する」を {押|お}すと {商品|しょうひん}に つきます。", en: "JPEG, PNG or WebP, up to {mb} MB, at most {n} pictures. They are attached when you save." },
  noPictures: { ja: "{写真|しゃしん}はまだありません。", easy: "{写真|しゃしん}は まだ ありません。", en: "No pictures yet." },
  pictureOf: { ja: "{name}の{写真|しゃしん}（{n}）", easy: "{name}の {写真|しゃしん}（{n}）", en: "Picture {n} of {name}" },
  pictureAlt: { ja: "{写真|しゃしん} {n} の{説明|せつめい}（{代替|だいたい}テキスト）", easy: "{写真|しゃしん} {n} の {説明|せつめい}", en: "Description of picture {n} (alternative text)" },
  pictureAltHint: { ja: "{目|め}の{見|み}えない{人|ひと}に{読|よ}み{上|あ}げられます。{何|なに}が{写|うつ}っているかを{日本語|にほんご}で{短|みじか}く。{空|から}なら{商品名|しょうひんめい}です。", easy: "{目|め}の {見|み}えない {人|ひと}に {読|よ}まれます。なにが うつって いるか みじかく {書|か}いて ください。", en: "Read out to people who cannot see it: what the picture shows, briefly, in Japanese. Empty: the product's name." },
  pictureRemove: { ja: "{外|はず}す", easy: "はずす", en: "Remove" },
  pictureRemoveOf: { ja: "{alt}を{外|はず}す", easy: "{alt}を はずす", en: "Remove {alt}" },
  pictureRemoved: { ja: "{写真|しゃしん}を{外|はず}しました。{保存|ほぞん}すると{商品|しょうひん}からも{外|はず}れます。", easy: "{写真|しゃしん}を はずしました。「{保存|ほぞん}する」を {押|お}して ください。", en: "Picture removed; save to take it off the product." },
  pictureUploading: { ja: "{写真|しゃしん}を{送|おく}っています…", easy: "{写真|しゃしん}を {送|おく}っています…", en: "Uploading the picture…" },
  pictureAdded: { ja: "{写真|しゃしん}を{加|くわ}えました（{w}×{h}）。{保存|ほぞん}すると{商品|しょうひん}に{付|つ}きます。", easy: "{写真|しゃしん}を ふやしました。「{保存|ほぞん}する」を {押|お}して ください。", en: "Picture added ({w}×{h}); save to attach it to the product." },
  pictureType: { ja: "JPEG・PNG・WebP の{写真|しゃしん}を{選|えら}んでください。", easy: "JPEG・PNG・WebP の {写真|しゃしん}を えらんで ください。", en: "Choose a JPEG, PNG or WebP picture." },
  pictureTooLarge: { ja: "ファイルが{大|おお}きすぎます。{mb} MB（4000{万画素|まんがそ}）までの{写真|しゃしん}にしてください。", easy: "ファイルが {大|おお}きすぎます。{mb} MB までの {写真|しゃしん}に して ください。", en: "The file is too large: up to {mb} MB and 40 million pixels." },
  pictureTooMany: { ja: "{写真|しゃしん}は{n}{枚|まい}までです。", easy: "{写真|しゃしん}は {n}まい までです。", en: "At most {n} pictures." },
  pictureUnreadable: { ja: "{写真|しゃしん}として{読|よ}めませんでした。{別|べつ}のファイルを{選|えら}んでください。", easy: "この ファイルは {写真|しゃしん}として {読|よ}めません。ほかの ファイルを えらんで ください。", en: "The file could not be read as a picture; choose another." },
  created: { ja: "{登録|とうろく}しました。", easy: "ふやしました。", en: "Created." },
  errorsAbove: { ja: "{入力|にゅうりょく}を{直|なお}してください（{n}{件|けん}）。", easy: "なおす ところが あります（{n}こ）。", en: "Please correct the form ({n} problems)." },

  signedInAs: { ja: "{name}", easy: "{name}", en: "{name}" },
  notFoundTitle: { ja: "ページがありません", easy: "ページが ありません", en: "Page not found" },
  navNetwork: { ja: "ネットワーク", easy: "つながり", en: "Network" },
  networkTitle: { ja: "ネットワーク（{自治体|じちたい}・お{店|みせ}・レジ）", easy: "つながり（{市|し}・{店|みせ}・レジ）", en: "Network (municipalities, shops, registers)" },
  municipalities: { ja: "{自治体|じちたい}", easy: "{市|し}・{町|まち}・{村|むら}", en: "Municipalities" },
  muniCode: { ja: "{団体|だんたい}コード", easy: "{市|し}の コード", en: "Local government code" },
  muniCodeHint: { ja: "6{桁|けた}（{最後|さいご}はチェックデジット）", easy: "6けた（さいごは チェックの {数字|すうじ}）", en: "6 digits, the last a check digit" },
  muniName: { ja: "{名前|なまえ}（{例|れい}：{港区|みなとく}）", easy: "{名前|なまえ}（れい：{港区|みなとく}）", en: "Name (e.g. 港区)" },
  muniNameEn: { ja: "{英語|えいご}の{名前|なまえ}", easy: "{英語|えいご}の {名前|なまえ}", en: "Name in English" },
  prefecture: { ja: "{都道府県|とどうふけん}", easy: "{都道府県|とどうふけん}", en: "Prefecture" },
  addMunicipality: { ja: "{自治体|じちたい}を{加|くわ}える", easy: "{市|し}を ふやす", en: "Add a municipality" },
  muniAdded: { ja: "{自治体|じちたい}を{加|くわ}えました。", easy: "{市|し}を ふやしました。", en: "Municipality added." },
  partnerA: { ja: "{自治体|じちたい}（1つ{目|め}）", easy: "{市|し}（1つめ）", en: "Municipality (first)" },
  partnerB: { ja: "{自治体|じちたい}（2つ{目|め}）", easy: "{市|し}（2つめ）", en: "Municipality (second)" },
  partnerFrom: { ja: "{開始日|かいしび}（{空|から}なら{今日|きょう}）", easy: "はじめる {日|ひ}（なければ きょう）", en: "From (empty: today)" },
  addPartnership: { ja: "{連携|れんけい}を{結|むす}ぶ", easy: "なかまに なる", en: "Make partners" },
  partnerAdded: { ja: "{連携|れんけい}を{結|むす}びました。", easy: "なかまに なりました。", en: "Partnership made." },
  partnerships: { ja: "{連携|れんけい}（{終|お}わっていないもの）", easy: "なかまの {約束|やくそく}（おわって いない もの）", en: "Partnerships not ended" },
  partnership: { ja: "{連携|れんけい}する{自治体|じちたい}", easy: "なかまの {市|し}", en: "Municipalities" },
  partnerSince: { ja: "{開始日|かいしび}", easy: "はじめた {日|ひ}", en: "From" },
  partnerUntil: { ja: "{終了|しゅうりょう}", easy: "おわり", en: "Ends" },
  partnerEndsOn: { ja: "{day} から{連携|れんけい}なし", easy: "{day} から なかまでは ない", en: "none from {day}" },
  actions: { ja: "{操作|そうさ}", easy: "する こと", en: "Actions" },
  endPartnership: { ja: "{連携|れんけい}を{終|お}える", easy: "なかまを やめる", en: "End the partnership" },
  partnerEndOn: { ja: "{連携|れんけい}がなくなる{最初|さいしょ}の{日|ひ}", easy: "なかまで なくなる {最初|さいしょ}の {日|ひ}", en: "First day without the partnership" },
  partnerEndOnHint: { ja: "{今日|きょう}か、それより{後|あと}の{日|ひ}。その{日|ひ}からお{互|たが}いの{商品|しょうひん}を{売|う}れなくなります。{売|う}った{分|ぶん}と{送|おく}った{分|ぶん}の{記録|きろく}は{残|のこ}ります。", easy: "きょうか、それより あとの {日|ひ}。その {日|ひ}から おたがいの {商品|しょうひん}を {売|う}れません。いままでの {記録|きろく}は のこります。", en: "Today or later. From that day the shops no longer sell each other's goods; what was sold or shipped stays on record." },
  partnerEnded: { ja: "{連携|れんけい}は {day} から{終|お}わります。", easy: "{day} から なかまでは なくなります。", en: "The partnership ends from {day}." },
  partners: { ja: "{連携先|れんけいさき}", easy: "なかまの {市|し}", en: "Partners" },
  locations: { ja: "{場所|ばしょ}", easy: "{場所|ばしょ}", en: "Locations" },
  home: { ja: "{本部|ほんぶ}", easy: "{本部|ほんぶ}", en: "home" },
  L_SHOP: { ja: "お{店|みせ}", easy: "{店|みせ}", en: "shop" },
  L_FACILITY: { ja: "{事業所|じぎょうしょ}の{倉庫|そうこ}", easy: "{事業所|じぎょうしょ}の {倉庫|そうこ}", en: "facility store room" },
  L_WAREHOUSE: { ja: "{倉庫|そうこ}", easy: "{倉庫|そうこ}", en: "warehouse" },
  locationName: { ja: "{場所|ばしょ}の{名前|なまえ}", easy: "{場所|ばしょ}の {名前|なまえ}", en: "Location name" },
  addLocation: { ja: "{場所|ばしょ}を{加|くわ}える", easy: "{場所|ばしょ}を ふやす", en: "Add a location" },
  locationAdded: { ja: "{場所|ばしょ}を{加|くわ}えました。", easy: "{場所|ばしょ}を ふやしました。", en: "Location added." },
  registerName: { ja: "レジの{名前|なまえ}", easy: "レジの {名前|なまえ}", en: "Register name" },
  addRegister: { ja: "レジを{加|くわ}える", easy: "レジを ふやす", en: "Add a register" },
  registerAdded: { ja: "レジを{加|くわ}えました。", easy: "レジを ふやしました。", en: "Register added." },
  dateLocale: { ja: "ja-JP", easy: "ja-JP", en: "en-GB" },
  transfersTitle: { ja: "{商品|しょうひん}の{移動|いどう}", easy: "{商品|しょうひん}を {送|おく}る", en: "Transfers" },
  requestTransfer: { ja: "{移動|いどう}を{依頼|いらい}する", easy: "{送|おく}って くださいと たのむ", en: "Request a transfer" },
  transferTitle: { ja: "{移動|いどう}の{詳細|しょうさい}", easy: "{送|おく}りものの くわしい {内容|ないよう}", en: "Transfer" },
  transferLines: { ja: "{商品|しょうひん}と{数|かず}", easy: "{商品|しょうひん}と かず", en: "Products and quantities" },
  colRoute: { ja: "{送|おく}り{元|もと} → {送|おく}り{先|さき}", easy: "どこから → どこへ", en: "From → to" },
  colLines: { ja: "{品目数|ひんもくすう}", easy: "{商品|しょうひん}の しゅるい", en: "Products" },
  colUpdated: { ja: "{更新|こうしん}", easy: "かわった {日|ひ}", en: "Updated" },
  T_REQUESTED: { ja: "{承認待|しょうにんま}ち", easy: "「いい」を まっている", en: "Requested" },
  T_APPROVED: { ja: "{発送待|はっそうま}ち", easy: "{送|おく}るのを まっている", en: "Approved" },
  T_SHIPPED: { ja: "{発送済|はっそうず}み", easy: "{送|おく}った", en: "Shipped" },
  T_RECEIVED: { ja: "{受領済|じゅりょうず}み", easy: "とどいた", en: "Received" },
  T_CANCELLED: { ja: "{取|と}り{消|け}し", easy: "やめた", en: "Cancelled" },
  fromLocation: { ja: "{送|おく}り{元|もと}（{相手|あいて}の{場所|ばしょ}）", easy: "どこから（{相手|あいて}の {場所|ばしょ}）", en: "From (the partner's location)" },
  toLocation: { ja: "{送|おく}り{先|さき}（こちらの{場所|ばしょ}）", easy: "どこへ（こちらの {場所|ばしょ}）", en: "To (your location)" },
  quantities: { ja: "{数量|すうりょう}（0 は{頼|たの}まない）", easy: "かず（0は たのまない）", en: "Quantities (0 for none)" },
  q_requested: { ja: "{依頼|いらい}", easy: "たのんだ", en: "Requested" },
  q_approved: { ja: "{承認|しょうにん}", easy: "「いい」と した", en: "Approved" },
  q_shipped: { ja: "{発送|はっそう}", easy: "{送|おく}った", en: "Shipped" },
  q_received: { ja: "{受領|じゅりょう}", easy: "{受|う}け{取|と}った", en: "Received" },
  q_accepted: { ja: "{良品|りょうひん}で{受|う}け{取|と}った{数|かず}", easy: "ぶじに とどいた かず", en: "Arrived in good order" },
  q_short: { ja: "{不足|ふそく}（{紛失|ふんしつ}・{破損|はそん}）", easy: "たりない（なくした・こわれた）", en: "Short (lost or damaged)" },
  q_outstanding: { ja: "{輸送中|ゆそうちゅう}", easy: "とどく とちゅう", en: "In transit" },
  approveTransfer: { ja: "{承認|しょうにん}する", easy: "「いい」と する", en: "Approve" },
  shipTransfer: { ja: "{発送|はっそう}する", easy: "{送|おく}る", en: "Ship" },
  receiveTransfer: { ja: "{受|う}け{取|と}る", easy: "{受|う}け{取|と}る", en: "Receive" },
  cancelTransfer: { ja: "この{移動|いどう}を{取|と}り{消|け}す", easy: "この {送|おく}りものを やめる", en: "Cancel this transfer" },
  cancelAsk: { ja: "まだ{発送|はっそう}していない{分|ぶん}を{取|と}り{消|け}します。よろしいですか？", easy: "まだ {送|おく}っていない ものを やめます。いいですか？", en: "What has not shipped yet is cancelled. Go ahead?" },
  cancelYes: { ja: "はい、{取|と}り{消|け}す", easy: "はい、やめる", en: "Yes, cancel it" },
  carrier: { ja: "{運送会社|うんそうがいしゃ}", easy: "{運|はこ}ぶ {会社|かいしゃ}", en: "Carrier" },
  trackingNumber: { ja: "{伝票番号|でんぴょうばんごう}", easy: "{荷物|にもつ}の {番号|ばんごう}", en: "Tracking number" },
  shortReason: { ja: "{不足|ふそく}の{理由|りゆう}", easy: "たりない わけ", en: "Why short" },
  LOST: { ja: "{紛失|ふんしつ}", easy: "なくなった", en: "Lost" },
  DAMAGED_IN_TRANSIT: { ja: "{輸送中|ゆそうちゅう}の{破損|はそん}", easy: "はこぶ ときに こわれた", en: "Damaged in transit" },
  done_approve: { ja: "{承認|しょうにん}しました。", easy: "「いい」と しました。", en: "Approved." },
  done_ship: { ja: "{発送|はっそう}しました。", easy: "{送|おく}りました。", en: "Shipped." },
  done_receive: { ja: "{受|う}け{取|と}りました。", easy: "{受|う}け{取|と}りました。", en: "Received." },
  done_cancel: { ja: "{取|と}り{消|け}しました。", easy: "やめました。", en: "Cancelled." },
  history: { ja: "{履歴|りれき}", easy: "これまでの こと", en: "History" },
  shipments: { ja: "{発送|はっそう}", easy: "{送|おく}ったもの", en: "Shipments" },
  receipts: { ja: "{受|う}け{取|と}り", easy: "{受|う}け{取|と}ったもの", en: "Receipts" },
  receivedLine: { ja: "{受領|じゅりょう} {accepted}・{不足|ふそく} {short}", easy: "{受|う}け{取|と}った {accepted}・たりない {short}", en: "accepted {accepted}, short {short}" },
  shortBecause: { ja: "（{reason}）", easy: "（{reason}）", en: " ({reason})" },
  E_REQUESTED: { ja: "{依頼|いらい}", easy: "たのんだ", en: "Requested" },
  E_OFFERED: { ja: "{提案|ていあん}", easy: "{送|おく}ると {言|い}った", en: "Offered" },
  E_APPROVED: { ja: "{承認|しょうにん}", easy: "「いい」と した", en: "Approved" },
  E_SHIPPED: { ja: "{発送|はっそう}", easy: "{送|おく}った", en: "Shipped" },
  E_RECEIVED: { ja: "{受領|じゅりょう}", easy: "{受|う}け{取|と}った", en: "Received" },
  E_CANCELLED: { ja: "{取|と}り{消|け}し", easy: "やめた", en: "Cancelled" },

  settlementTitle: { ja: "{精算|せいさん}（{month}）", easy: "お{金|かね}の {計算|けいさん}（{month}）", en: "Settlement ({month})" },
  month: { ja: "{月|つき}", easy: "{月|つき}", en: "Month" },
  showMonth: { ja: "この{月|つき}を{見|み}る", easy: "この {月|つき}を {見|み}る", en: "Show this month" },
  statements: { ja: "{精算書|せいさんしょ}（{事業所|じぎょうしょ}・お{店|みせ}ごと）", easy: "お{金|かね}の {計算|けいさん}（{事業所|じぎょうしょ}と {店|みせ}ごと）", en: "Statements (per facility and shop)" },
  colShop: { ja: "お{店|みせ}", easy: "{店|みせ}", en: "Shop" },
  colGross: { ja: "{売上|うりあげ}（{返品|へんぴん}{後|ご}）", easy: "{売|う}れた {金額|きんがく}", en: "Net sales" },
  colCommission: { ja: "{手数料|てすうりょう}", easy: "{店|みせ}の {手数料|てすうりょう}", en: "Commission" },
  colPayable: { ja: "お{支払|しはら}い{額|がく}", easy: "はらう {金額|きんがく}", en: "Payable" },
  colActions: { ja: "{操作|そうさ}", easy: "すること", en: "Actions" },
  S_OPEN: { ja: "{未確定|みかくてい}", easy: "まだ きまって いない", en: "Open" },
  S_CLOSED: { ja: "{確定|かくてい}（{未払|みばら}い）", easy: "きまった（まだ はらって いない）", en: "Closed (unpaid)" },
  S_PAID: { ja: "{支払|しはら}い{済|ず}み", easy: "はらった", en: "Paid" },
  openNotice: { ja: "{支払通知書|しはらいつうちしょ}", easy: "はらう お{知|し}らせ", en: "Payment notice" },
  markPaid: { ja: "{支払|しはら}い{済|ず}みにする", easy: "はらったと {記録|きろく}する", en: "Mark paid" },
  closeMonth: { ja: "{月|つき}を{締|し}める（{month}）", easy: "{月|つき}を しめる（{month}）", en: "Close the month ({month})" },
  closeHint: { ja: "{締|し}めると{精算書|せいさんしょ}に{番号|ばんごう}が{付|つ}き、もう{変|か}わりません。{終|お}わった{月|つき}だけ、{古|ふる}い{月|つき}から{順|じゅん}に{締|し}められます。", easy: "しめると {番号|ばんごう}が つき、もう かわりません。おわった {月|つき}を、{古|ふる}い {月|つき}から じゅんに しめます。", en: "Closing numbers the statements and freezes them. Only ended months close, oldest first." },
  closeMonthButton: { ja: "{締|し}める", easy: "しめる", en: "Close the month" },
  closed: { ja: "{月|つき}を{締|し}めました（{精算書|せいさんしょ} {n}{件|けん}）。", easy: "{月|つき}を しめました（{n}けん）。", en: "The month is closed ({n} statements)." },
  paidOn: { ja: "{支払日|しはらいび}", easy: "はらった {日|ひ}", en: "Paid on" },
  paymentReference: { ja: "{振込|ふりこみ}の{番号|ばんごう}など", easy: "ふりこみの {番号|ばんごう}", en: "Payment reference" },
  payWhat: { ja: "{facility}に {amount} を{支払|しはら}ったことを{記録|きろく}します。", easy: "{facility}に {amount} を はらったと {記録|きろく}します。", en: "Record that {amount} was paid to {facility}." },
  paid: { ja: "{支払|しはら}い{済|ず}みにしました。", easy: "はらったと {記録|きろく}しました。", en: "Marked paid." },
  noticeTitle: { ja: "{支払通知書|しはらいつうちしょ}", easy: "はらう お{知|し}らせ（{支払通知書|しはらいつうちしょ}）", en: "Payment notice" },
  backToStatements: { ja: "{精算書|せいさんしょ}の{一覧|いちらん}へ{戻|もど}る", easy: "リストへ もどる", en: "Back to the statements" },

  stockTitle: { ja: "{在庫|ざいこ}", easy: "{在庫|ざいこ}", en: "Stock" },
  location: { ja: "{場所|ばしょ}", easy: "{場所|ばしょ}", en: "Location" },
  showLocation: { ja: "この{場所|ばしょ}を{見|み}る", easy: "この {場所|ばしょ}を {見|み}る", en: "Show this location" },
  levelsAt: { ja: "{location}の{在庫|ざいこ}", easy: "{location}の {在庫|ざいこ}", en: "Stock at {location}" },
  lowOnly: { ja: "{発注点|はっちゅうてん}{未満|みまん}だけ{表示|ひょうじ}する", easy: "すくない ものだけ {見|み}る", en: "Only below the reorder point" },
  lowBadge: { ja: "{少|すく}ない", easy: "すくない", en: "low" },
  c_onHand: { ja: "{手元|てもと}", easy: "ある かず", en: "On hand" },
  c_reserved: { ja: "{取置|とりお}き", easy: "とって ある", en: "Reserved" },
  c_incoming: { ja: "{入荷予定|にゅうかよてい}", easy: "とどく {予定|よてい}", en: "Incoming" },
  c_available: { ja: "{販売可能|はんばいかのう}", easy: "{売|う}れる かず", en: "Available" },
  c_reorderPoint: { ja: "{発注点|はっちゅうてん}", easy: "{発注点|はっちゅうてん}", en: "Reorder point" },
  adjust: { ja: "{在庫|ざいこ}を{調整|ちょうせい}", easy: "{在庫|ざいこ}を なおす", en: "Adjust stock" },
  adjustQty: { ja: "{増減|ぞうげん}（{減|へ}らすときはマイナス）", easy: "ふやす かず（へらす ときは マイナス）", en: "Change (negative to take out)" },
  adjustHint: { ja: "{例|れい}：{作|つく}った 10{個|こ}は 10、{壊|こわ}れた 2{個|こ}は -2", easy: "れい：{作|つく}った 10こは 10、こわれた 2こは -2", en: "E.g. 10 made: 10; 2 broken: -2" },
  R_PRODUCTION: { ja: "{生産|せいさん}（{作|つく}った）", easy: "{作|つく}った", en: "Production" },
  R_COUNT_CORRECTION: { ja: "{数|かず}の{訂正|ていせい}", easy: "かずを なおす", en: "Count correction" },
  R_DAMAGED: { ja: "{破損|はそん}", easy: "こわれた", en: "Damaged" },
  R_LOST: { ja: "{紛失|ふんしつ}", easy: "なくなった", en: "Lost" },
  R_EXPIRED: { ja: "{期限切|きげんぎ}れ", easy: "{期限|きげん}が すぎた", en: "Expired" },
  R_FOUND: { ja: "{発見|はっけん}", easy: "みつかった", en: "Found" },
  adjusted: { ja: "{在庫|ざいこ}を{調整|ちょうせい}しました（{手元|てもと} {n}）。", easy: "{在庫|ざいこ}を なおしました（ある かず {n}）。", en: "Stock adjusted (on hand {n})." },
  stocktake: { ja: "{棚卸|たなおろ}し", easy: "{在庫|ざいこ}を かぞえる", en: "Stocktake" },
  scanHint: { ja: "1{回|かい}{読|よ}むと1{個|こ}{数|かぞ}えます。{数|かず}は{下|した}で{直|なお}せます。", easy: "1かい {読|よ}むと 1こ かぞえます。かずは {下|した}で なおせます。", en: "Each scan counts one; correct the counts below." },
  countedOne: { ja: "{name}：{n}{個|こ}", easy: "{name}：{n}こ", en: "{name}: {n}" },
  noSuchCode: { ja: "{code} の{商品|しょうひん}はありません。", easy: "{code} の {商品|しょうひん}は ありません。", en: "No product has the code {code}." },
  countedGoods: { ja: "{数|かぞ}えた{商品|しょうひん}", easy: "かぞえた {商品|しょうひん}", en: "Counted goods" },
  countComplete: { ja: "すべて{数|かぞ}えた（{数|かぞ}えていない{商品|しょうひん}は 0 にする）", easy: "ぜんぶ かぞえた（ない {商品|しょうひん}は 0に する）", en: "Everything was counted (goods not listed count as zero)" },
  recordCount: { ja: "{棚卸|たなおろ}しを{記録|きろく}する", easy: "かぞえた かずを {記録|きろく}する", en: "Record the count" },
  countRecorded: { ja: "{記録|きろく}しました。{数|かず}が{違|ちが}った{商品|しょうひん}：{n}{件|けん}", easy: "{記録|きろく}しました。かずが ちがった {商品|しょうひん}：{n}", en: "Recorded. Counts that differed: {n}" },
  countDiff: { ja: "{記録|きろく} {expected} → {数|かぞ}えた {counted}（{diff}）", easy: "{記録|きろく} {expected} → かぞえた {counted}（{diff}）", en: "recorded {expected}, counted {counted} ({diff})" },
  backToStock: { ja: "{在庫|ざいこ}へ{戻|もど}る", easy: "{在庫|ざいこ}へ もどる", en: "Back to stock" },

  salesTitle: { ja: "{売上|うりあげ}（{month}）", easy: "{売|う}れた {金額|きんがく}（{month}）", en: "Sales ({month})" },
  byDay: { ja: "{日別|ひべつ}（{month}）", easy: "{日|ひ}ごと（{month}）", en: "By day ({month})" },
  byMonth: { ja: "{月別|つきべつ}（{直近|ちょっきん}6か{月|げつ}）", easy: "{月|つき}ごと（さいきんの 6か{月|げつ}）", en: "By month (last six)" },
  byFacility: { ja: "{事業所別|じぎょうしょべつ}（{month}）", easy: "{事業所|じぎょうしょ}ごと（{month}）", en: "By facility ({month})" },
  byProduct: { ja: "{商品別|しょうひんべつ}（{month}）", easy: "{商品|しょうひん}ごと（{month}）", en: "By product ({month})" },
  colDay: { ja: "{日|ひ}", easy: "{日|ひ}", en: "Day" },
  colAmount: { ja: "{売上|うりあげ}（{税込|ぜいこみ}・{返品後|へんぴんご}）", easy: "{売|う}れた {金額|きんがく}", en: "Sales (tax incl., net of refunds)" },
  colUnits: { ja: "{個数|こすう}", easy: "かず", en: "Units" },
  downloadCSV: { ja: "CSV でダウンロード", easy: "CSVで ダウンロード", en: "Download CSV" },
  firstLinesOnly: { ja: "{日別|ひべつ}は{最初|さいしょ}の100{行|ぎょう}から{数|かぞ}えています。", easy: "{日|ひ}ごとは はじめの 100{行|ぎょう}だけ です。", en: "By day counts the first 100 sold lines only." },
  navSales: { ja: "{売上|うりあげ}", easy: "{売|う}れた {金額|きんがく}", en: "Sales" },

  navFacilities: { ja: "{事業所|じぎょうしょ}", easy: "{事業所|じぎょうしょ}", en: "Facilities" },
  facilitiesTitle: { ja: "{事業所|じぎょうしょ}", easy: "{事業所|じぎょうしょ}", en: "Facilities" },
  newFacility: { ja: "{事業所|じぎょうしょ}を{登録|とうろく}する", easy: "{事業所|じぎょうしょ}を ふやす", en: "Add a facility" },
  editFacility: { ja: "{事業所|じぎょうしょ}の{編集|へんしゅう}", easy: "{事業所|じぎょうしょ}を なおす", en: "Edit facility" },
  backToFacilities: { ja: "{事業所|じぎょうしょ}の{一覧|いちらん}へ{戻|もど}る", easy: "{事業所|じぎょうしょ}の リストへ もどる", en: "Back to the facilities" },
  facilityName: { ja: "{事業所名|じぎょうしょめい}", easy: "{事業所|じぎょうしょ}の {名前|なまえ}", en: "Facility name" },
  nameKana: { ja: "{名前|なまえ}のふりがな", easy: "{名前|なまえ}の ふりがな", en: "Name in kana" },
  kind: { ja: "{種類|しゅるい}", easy: "しゅるい", en: "Kind" },
  corporation: { ja: "{運営法人|うんえいほうじん}", easy: "{運営|うんえい}する {法人|ほうじん}", en: "Operating corporation" },
  registrationNumber: { ja: "インボイス{登録番号|とうろくばんごう}", easy: "インボイスの {番号|ばんごう}", en: "Invoice registration number" },
  registrationHint: { ja: "T と13{桁|けた}の{数字|すうじ}。{登録|とうろく}していなければ{空|から}のまま。", easy: "Tと 13けたの {数字|すうじ}。なければ {空|から}の まま。", en: "T and 13 digits; leave empty when not registered." },
  regFormat: { ja: "T と13{桁|けた}の{数字|すうじ}で{入|い}れてください。", easy: "Tと 13けたの {数字|すうじ}で {入|い}れて ください。", en: "Enter T and 13 digits." },
  regCheck: { ja: "{番号|ばんごう}が{正|ただ}しくありません（チェックデジットが{違|ちが}います）。", easy: "{番号|ばんごう}が {正|ただ}しく ありません。", en: "This number is not valid (its check digit is wrong)." },
  municipality: { ja: "{自治体|じちたい}", easy: "{市|し}・{町|まち}・{村|むら}", en: "Municipality" },
  contactPerson: { ja: "{担当者|たんとうしゃ}", easy: "{担当|たんとう}の {人|ひと}", en: "Contact person" },
  phone: { ja: "{電話番号|でんわばんごう}", easy: "{電話|でんわ}の {番号|ばんごう}", en: "Phone" },
  address: { ja: "{住所|じゅうしょ}", easy: "{住所|じゅうしょ}", en: "Address" },
  EMPLOYMENT_SUPPORT_A: { ja: "{就労継続支援|しゅうろうけいぞくしえん}A{型|がた}", easy: "{就労継続支援|しゅうろうけいぞくしえん}A{型|がた}", en: "Employment support (type A)" },
  EMPLOYMENT_SUPPORT_B: { ja: "{就労継続支援|しゅうろうけいぞくしえん}B{型|がた}", easy: "{就労継続支援|しゅうろうけいぞくしえん}B{型|がた}", en: "Employment support (type B)" },
  EMPLOYMENT_TRANSITION: { ja: "{就労移行支援|しゅうろういこうしえん}", easy: "{就労移行支援|しゅうろういこうしえん}", en: "Transition to employment" },
  LIFE_CARE: { ja: "{生活介護|せいかつかいご}", easy: "{生活介護|せいかつかいご}", en: "Life care" },
  K_OTHER: { ja: "その{他|た}", easy: "ほか", en: "Other" },

  navAdmin: { ja: "{管理|かんり}", easy: "{管理|かんり}", en: "Administration" },
  adminTitle: { ja: "{管理|かんり}", easy: "{管理|かんり}", en: "Administration" },
  inviteStaff: { ja: "{職員|しょくいん}を{招待|しょうたい}する", easy: "{働|はたら}く {人|ひと}を よぶ", en: "Invite staff" },
  inviteHint: { ja: "メールのリンクから{名前|なまえ}とパスワードを{決|き}めてもらいます（72{時間|じかん}{有効|ゆうこう}）。", easy: "メールの リンクで {名前|なまえ}と パスワードを きめて もらいます（3{日|か}の あいだ {使|つか}えます）。", en: "The e-mailed link lets them set their name and password (it works for 72 hours)." },
  role: { ja: "{役割|やくわり}", easy: "やくわり", en: "Role" },
  roleCLERK: { ja: "お{店|みせ}の{店員|てんいん}", easy: "{店|みせ}の {人|ひと}", en: "Shop clerk" },
  sendInvitation: { ja: "{招待|しょうたい}メールを{送|おく}る", easy: "メールを {送|おく}る", en: "Send the invitation" },
  invited: { ja: "{email} に{招待|しょうたい}を{送|おく}りました（{until}まで{有効|ゆうこう}）。", easy: "{email} に メールを {送|おく}りました（{until}まで）。", en: "Invitation sent to {email} (works until {until})." },
  auditTitle: { ja: "{変更|へんこう}の{記録|きろく}（{監査|かんさ}ログ）", easy: "かえた ことの {記録|きろく}", en: "Audit log" },
  when: { ja: "{日時|にちじ}", easy: "いつ", en: "When" },
  actor: { ja: "{操作|そうさ}した{人|ひと}", easy: "だれが", en: "Who" },
  action: { ja: "{操作|そうさ}", easy: "なにを", en: "Action" },
  changes: { ja: "{変更|へんこう}{内容|ないよう}", easy: "かわった ところ", en: "Changes" },
  importCSV: { ja: "CSV から{取|と}り{込|こ}む", easy: "CSVから {入|い}れる", en: "Import from CSV" },
  importTitle: { ja: "{商品|しょうひん}を CSV から{取|と}り{込|こ}む", easy: "{商品|しょうひん}を CSVから {入|い}れる", en: "Import products from CSV" },
  importLead: { ja: "「CSV に{書|か}き{出|だ}す」と{同|おな}じ{列|れつ}のファイルです。id のある{行|ぎょう}はその{商品|しょうひん}を{変|か}え、id のない{行|ぎょう}は{新|あたら}しい{商品|しょうひん}になります。まず{確|たし}かめ、{問題|もんだい}がなければ{全部|ぜんぶ}の{行|ぎょう}をまとめて{取|と}り{込|こ}みます。", easy: "「CSVで ダウンロード」と {同|おな}じ かたちの ファイルです。id が ある {行|ぎょう}は その {商品|しょうひん}を なおします。id が ない {行|ぎょう}は {新|あたら}しい {商品|しょうひん}です。まず たしかめます。まちがいが なければ ぜんぶ いっしょに {入|い}れます。", en: "A file with the export's columns. A row with an id changes that product; a row without one adds a new product. The file is checked first; without problems, all rows are imported at once." },
  importFile: { ja: "CSV ファイル", easy: "CSV ファイル", en: "CSV file" },
  importHint: { ja: "Excel で「CSV UTF-8」か「CSV」（Shift_JIS）で{保存|ほぞん}したもの。1000{行|ぎょう}まで。", easy: "Excelで 「CSV UTF-8」か 「CSV」で {保存|ほぞん}した ファイル。1000{行|ぎょう}まで。", en: "Saved from Excel as \"CSV UTF-8\" or \"CSV\" (Shift_JIS); up to 1,000 rows." },
  importCheck: { ja: "{確|たし}かめる（まだ{保存|ほぞん}しません）", easy: "たしかめる（まだ {保存|ほぞん}しません）", en: "Check (nothing is saved yet)" },
  importRefused: { ja: "{問題|もんだい}のある{行|ぎょう}が {n} {行|ぎょう}あります", easy: "まちがいの ある {行|ぎょう}が {n}{行|ぎょう} あります", en: "{n} rows have problems" },
  importNothingWritten: { ja: "{何|なに}も{取|と}り{込|こ}んでいません。ファイルを{直|なお}して、もう{一度|いちど}{選|えら}んでください。", easy: "なにも {入|い}れて いません。ファイルを なおして、もう いちど えらんで ください。", en: "Nothing was imported. Correct the file and choose it again." },
  importErrorsCaption: { ja: "{行|ぎょう}ごとの{問題|もんだい}", easy: "{行|ぎょう}ごとの まちがい", en: "Problems, row by row" },
  importRow: { ja: "{行|ぎょう}", easy: "{行|ぎょう}", en: "Row" },
  importRowN: { ja: "{n} {行目|ぎょうめ}", easy: "{n}{行|ぎょう}め", en: "Row {n}" },
  importColumn: { ja: "{列|れつ}", easy: "{列|れつ}", en: "Column" },
  // What a column of the import wants, said beside a problem in it (Japanese and
  // やさしい日本語; in English the API's own sentence says it).
  importColPrice: { ja: "{税込|ぜいこ}みの{価格|かかく}を{円|えん}の{整数|せいすう}で（{例|れい}：480）。", easy: "ぜいきんを {入|い}れた ねだんを {数字|すうじ}だけで（れい：480）。", en: "The price in whole yen, tax included (e.g. 480)." },
  importColTaxClass: { ja: "STANDARD_10（10%）か REDUCED_8（{軽減税率|けいげんぜいりつ} 8%、{食品|しょくひん}）。", easy: "STANDARD_10（10%）か REDUCED_8（たべもの 8%）。", en: "STANDARD_10 (10 %) or REDUCED_8 (reduced 8 %, food)." },
  importColStatus: { ja: "DRAFT（{準備中|じゅんびちゅう}）、ACTIVE（{販売中|はんばいちゅう}）か ARCHIVED（{販売終了|はんばいしゅうりょう}）。", easy: "DRAFT（じゅんびちゅう）、ACTIVE（{売|う}って いる）か ARCHIVED（もう {売|う}らない）。", en: "DRAFT, ACTIVE or ARCHIVED." },
  importColId: { ja: "「CSV に{書|か}き{出|だ}す」で{出|で}た id のまま。{新|あたら}しい{商品|しょうひん}は{空|から}に。", easy: "ダウンロードした ときの id の まま。{新|あたら}しい {商品|しょうひん}は {空|から}に します。", en: "The id as exported; empty for a new product." },
  importProblem: { ja: "{問題|もんだい}", easy: "まちがい", en: "Problem" },
  importReady: { ja: "{n} {行|ぎょう}とも{取|と}り{込|こ}めます", easy: "{n}{行|ぎょう} ぜんぶ {入|い}れられます", en: "All {n} rows can be imported" },
  importNothingYet: { ja: "まだ{保存|ほぞん}していません。{内容|ないよう}を{確|たし}かめて「{取|と}り{込|こ}む」を{押|お}してください。", easy: "まだ {保存|ほぞん}して いません。たしかめて 「{入|い}れる」を {押|お}して ください。", en: "Nothing is saved yet: check the rows and press Import." },
  importPreviewCaption: { ja: "{取|と}り{込|こ}む{内容|ないよう}", easy: "{入|い}れる もの", en: "What will be imported" },
  importedCaption: { ja: "{取|と}り{込|こ}んだ{商品|しょうひん}", easy: "{入|い}れた {商品|しょうひん}", en: "Products imported" },
  importAction: { ja: "{内容|ないよう}", easy: "なにを する", en: "Action" },
  importCREATE: { ja: "{追加|ついか}", easy: "ふやす", en: "Add" },
  importUPDATE: { ja: "{変更|へんこう}", easy: "なおす", en: "Change" },
  importApply: { ja: "{取|と}り{込|こ}む（{n} {行|ぎょう}）", easy: "{入|い}れる（{n}{行|ぎょう}）", en: "Import ({n} rows)" },
  importDone: { ja: "{n} {行|ぎょう}を{取|と}り{込|こ}みました", easy: "{n}{行|ぎょう}を {入|い}れました", en: "{n} rows imported" },
  exportCSV: { ja: "CSV に{書|か}き{出|だ}す", easy: "CSVで ダウンロード", en: "Export as CSV" },
};

// Errors the POS app's words do not cover, or say for the counter only.
const E = {
  DUPLICATE_CODE: { ja: "このコードの{商品|しょうひん}はもうあります。", easy: "この {数字|すうじ}の {商品|しょうひん}は もう あります。", en: "A product with this code exists already." },
  INVALID_JAN: { ja: "JAN コードが{正|ただ}しくありません。{桁数|けたすう}と{最後|さいご}の{数字|すうじ}を{確|たし}かめてください。", easy: "バーコードの {数字|すうじ}が {正|ただ}しく ありません。", en: "The JAN code is not valid: check its length and last digit." },
  FORBIDDEN: { ja: "この{操作|そうさ}の{権限|けんげん}がありません。", easy: "あなたは これが できません。", en: "You may not do this." },
};

function pick(entry) {
  const p = getPrefs();
  if (p.lang === "en") return entry.en;
  return p.furigana ? entry.easy : entry.ja;
}

// One pass over placeholders {name} and furigana marks {漢字|かんじ}.
const MARK = /\{(\w+)\}|\{([^|{}]+)\|([^{}]+)\}/g;

function build(s, vars, ruby) {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const m of s.matchAll(MARK)) {
    out.append(s.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[1] !== undefined) {
      const v = vars && m[1] in vars ? vars[m[1]] : m[0];
      out.append(v instanceof Node ? v.cloneNode(true) : String(v));
    } else if (ruby) {
      // Screen readers read the kanji; the reading is for the eyes.
      out.append(h("ruby", {}, m[2], h("rt", { "aria-hidden": "true" }, m[3])));
    } else {
      out.append(m[2]);
    }
  }
  out.append(s.slice(at));
  return out;
}

const furigana = () => getPrefs().furigana && getPrefs().lang === "ja";

// The words both apps use (the display switches, sign-in, required and optional)
// are the POS app's.
export function t(key, vars) {
  return M[key] ? build(pick(M[key]), vars, furigana()) : posT(key, vars);
}

export function ts(key, vars) {
  return M[key] ? build(pick(M[key]), vars, false).textContent : posTs(key, vars);
}

// has says whether key has words (enum values from the API that may be new).
export function has(key) {
  return key in M;
}

// errNode is the plain words for an API error code, never the code itself.
export function errNode(code) {
  return E[code] ? build(pick(E[code]), null, furigana()) : apiErrNode(code);
}

// strings lists every entry, for the check that each has all three versions.
export function strings() {
  return { ...M, ...Object.fromEntries(Object.entries(E).map(([k, v]) => ["E." + k, v])) };
}

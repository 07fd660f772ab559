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
  created: { ja: "{登録|とうろく}しました。", easy: "ふやしました。", en: "Created." },
  errorsAbove: { ja: "{入力|にゅうりょく}を{直|なお}してください（{n}{件|けん}）。", easy: "なおす ところが あります（{n}こ）。", en: "Please correct the form ({n} problems)." },

  signedInAs: { ja: "{name}", easy: "{name}", en: "{name}" },
  notFoundTitle: { ja: "ページがありません", easy: "ページが ありません", en: "Page not found" },
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

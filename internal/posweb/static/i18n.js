// The words on screen, in Japanese (with furigana marked as {漢字|かんじ}), in
// やさしい日本語 (easy: short sentences, spaces between phrases, one word for one
// thing) and in English. Every entry has all three.
//
// One word for one thing: 消す (けす) takes goods or a typed amount off the screen
// before anything is recorded; 取り消す is only the void of a recorded sale; レジ締め
// (easy: レジを しめる) is the close of the register; お金 is cash in やさしい日本語.
//
// t(key) gives a node for the screen: in furigana mode the marked kanji get <ruby>.
// ts(key) gives plain text for attributes (aria-label, placeholder, title).

const M = {
  appName: { ja: "つなぐ レジ", easy: "つなぐ レジ", en: "Tsunagu POS" },
  skip: { ja: "{本文|ほんぶん}へ{移動|いどう}", easy: "{本文|ほんぶん}へ {行|い}く", en: "Skip to main content" },
  settings: { ja: "{表示|ひょうじ}の{設定|せってい}", easy: "{画面|がめん}の {設定|せってい}", en: "Display settings" },
  langSwitch: { ja: "English", easy: "English", en: "日本語" },
  langSwitchLabel: { ja: "{英語|えいご}で{表示|ひょうじ}する", easy: "{英語|えいご}で {見|み}る", en: "Show in Japanese" },
  furigana: { ja: "ふりがな・やさしい{日本語|にほんご}", easy: "ふりがな・やさしい {日本語|にほんご}", en: "Furigana (Japanese only)" },
  largeText: { ja: "{文字|もじ}を{大|おお}きく", easy: "{字|じ}を {大|おお}きく", en: "Larger text" },
  signOut: { ja: "ログアウト", easy: "ログアウト", en: "Sign out" },
  required: { ja: "（{必須|ひっす}）", easy: "（かならず {入|い}れる）", en: " (required)" },
  optional: { ja: "（{任意|にんい}）", easy: "（なくても よい）", en: " (optional)" },

  loginTitle: { ja: "ログイン", easy: "ログイン", en: "Sign in" },
  email: { ja: "メールアドレス", easy: "メールアドレス", en: "Email" },
  password: { ja: "パスワード", easy: "パスワード", en: "Password" },
  loginButton: { ja: "ログインする", easy: "ログインする", en: "Sign in" },

  registersTitle: { ja: "レジを{選|えら}ぶ", easy: "レジを {選|えら}ぶ", en: "Choose a register" },
  registerOpen: { ja: "{使用中|しようちゅう}", easy: "{使|つか}っています", en: "open" },
  registerClosed: { ja: "{閉|し}まっています", easy: "しまっています", en: "closed" },
  noRegisters: { ja: "このお{店|みせ}にはレジがありません。{店長|てんちょう}に{登録|とうろく}を{頼|たの}んでください。", easy: "この {店|みせ}には レジが ありません。{店長|てんちょう}に {言|い}って ください。", en: "This shop has no register yet. Ask a manager to add one." },
  openingFloat: { ja: "{釣銭準備金|つりせんじゅんびきん}（レジに{入|い}れたお{金|かね}）", easy: "はじめに レジに {入|い}れた お{金|かね}", en: "Opening float (cash in the drawer)" },
  openButton: { ja: "レジを{開|あ}ける", easy: "レジを あける", en: "Open the register" },
  continueButton: { ja: "このレジで{続|つづ}ける", easy: "この レジで つづける", en: "Continue on this register" },
  registerLabel: { ja: "レジ", easy: "レジ", en: "Register" },

  saleTitle: { ja: "{販売|はんばい}", easy: "{会計|かいけい}", en: "Sale" },
  scan: { ja: "バーコード（{読|よ}み{取|と}り・{入力|にゅうりょく}して Enter）", easy: "バーコード（{読|よ}むか、{数字|すうじ}を {入|い}れて Enter）", en: "Barcode (scan, or type and press Enter)" },
  addButton: { ja: "{追加|ついか}", easy: "{入|い}れる", en: "Add" },
  shortcuts: { ja: "キー{操作|そうさ}", easy: "キーで {操作|そうさ}", en: "Keys" },
  shortcutQty: { ja: "{最後|さいご}の{商品|しょうひん}の{数量|すうりょう}（{数字|すうじ}を{入|い}れてから{押|お}す）", easy: "さいごの {商品|しょうひん}の かず（{数字|すうじ}を {入|い}れてから おす）", en: "Quantity of the last item (type the number first)" },
  search: { ja: "{商品名|しょうひんめい}で{探|さが}す", easy: "{商品|しょうひん}の {名前|なまえ}で さがす", en: "Search by product name" },
  searchResults: { ja: "{検索結果|けんさくけっか}", easy: "さがした {結果|けっか}", en: "Search results" },
  noResults: { ja: "{見|み}つかりませんでした。", easy: "ありませんでした。", en: "Nothing found." },
  cart: { ja: "お{買|か}い{上|あ}げ{商品|しょうひん}", easy: "{買|か}う {商品|しょうひん}", en: "Items" },
  cartEmpty: { ja: "まだ{商品|しょうひん}がありません。バーコードを{読|よ}み{取|と}ってください。", easy: "まだ {商品|しょうひん}が ありません。バーコードを {読|よ}んで ください。", en: "No items yet. Scan a barcode to start." },
  qty: { ja: "{数量|すうりょう}", easy: "かず", en: "Quantity" },
  more: { ja: "1つ{増|ふ}やす", easy: "1つ ふやす", en: "One more" },
  less: { ja: "1つ{減|へ}らす", easy: "1つ へらす", en: "One less" },
  remove: { ja: "{消|け}す", easy: "{消|け}す", en: "Remove" },
  total: { ja: "{合計|ごうけい}", easy: "{合計|ごうけい}", en: "Total" },
  taxIncluded: { ja: "（{税込|ぜいこみ}）", easy: "（{税金|ぜいきん}を ふくむ）", en: " (tax included)" },
  taxLine: { ja: "{税率|ぜいりつ}{rate}%{対象|たいしょう} {total}（うち{消費税|しょうひぜい} {tax}）", easy: "{税金|ぜいきん} {rate}%の {商品|しょうひん} {total}（{税金|ぜいきん} {tax}）", en: "{rate}% items {total} (tax {tax})" },
  taxEstimate: { ja: "{税額|ぜいがく}は{目安|めやす}です。{正|ただ}しい{税額|ぜいがく}はレシートに{出|で}ます。", easy: "{税金|ぜいきん}は だいたいの {金額|きんがく}です。レシートに {正|ただ}しい {金額|きんがく}が {出|で}ます。", en: "Tax is an estimate; the receipt shows the exact tax." },
  reducedNote: { ja: "※は{軽減税率|けいげんぜいりつ}（8%）の{商品|しょうひん}です。", easy: "※は {税金|ぜいきん}が 8%の {商品|しょうひん}です（{食|た}べもの・{飲|の}みもの）。", en: "※ marks items at the reduced tax rate (8%)." },
  itemsCount: { ja: "{点数|てんすう} {n}", easy: "{商品|しょうひん}の かず {n}", en: "{n} items" },
  lastLine: { ja: "{最後|さいご}の{商品|しょうひん}", easy: "さいごの {商品|しょうひん}", en: "Last item" },
  payCash: { ja: "{現金|げんきん}で{会計|かいけい}", easy: "お{金|かね}で はらう", en: "Pay by cash" },
  payCard: { ja: "カード・{電子|でんし}マネー", easy: "カードで はらう", en: "Card / e-money" },
  clearCart: { ja: "{全部|ぜんぶ}{消|け}す", easy: "{全部|ぜんぶ} {消|け}す", en: "Remove all" },
  clearAsk: { ja: "{買|か}い{物|もの}の{商品|しょうひん}を{全部|ぜんぶ}{消|け}しますか？", easy: "{商品|しょうひん}を {全部|ぜんぶ} {消|け}しますか？", en: "Remove all items from this sale?" },
  clearYes: { ja: "はい、{全部|ぜんぶ}{消|け}す", easy: "はい、{全部|ぜんぶ} {消|け}す", en: "Yes, remove all" },
  cleared: { ja: "{商品|しょうひん}を{全部|ぜんぶ}{消|け}しました。", easy: "{商品|しょうひん}を {全部|ぜんぶ} {消|け}しました。", en: "All items removed." },
  totalAnnounce: { ja: "{合計|ごうけい} {total}", easy: "{合計|ごうけい} {total}", en: "Total {total}" },
  added: { ja: "{name}を{追加|ついか}しました。", easy: "{name}を {入|い}れました。", en: "Added {name}." },
  qtySet: { ja: "{name}の{数量|すうりょう}を{n}にしました。", easy: "{name}の かずを {n}に しました。", en: "{name}: quantity {n}." },

  menu: { ja: "ほかの{操作|そうさ}", easy: "ほかの {操作|そうさ}", en: "Other tasks" },
  voidLast: { ja: "{直前|ちょくぜん}の{取引|とりひき}を{取|と}り{消|け}す", easy: "さっきの {会計|かいけい}を {取|と}り{消|け}す", en: "Void the last sale" },
  refund: { ja: "{返品|へんぴん}（レシート{番号|ばんごう}）", easy: "{返品|へんぴん}（レシートの {番号|ばんごう}）", en: "Refund (by receipt number)" },
  cashMove: { ja: "{入金|にゅうきん}・{出金|しゅっきん}", easy: "お{金|かね}を {入|い}れる・{出|だ}す", en: "Cash in / out" },
  closeRegister: { ja: "レジ{締|じ}め", easy: "レジを しめる", en: "Close the register" },
  pickupTask: { ja: "{受|う}け{取|と}り{待|ま}ちの{注文|ちゅうもん}", easy: "とりに くる {注文|ちゅうもん}", en: "Pickup orders" },
  back: { ja: "{販売|はんばい}に{戻|もど}る", easy: "{会計|かいけい}に もどる", en: "Back to sale" },

  payTitle: { ja: "お{支払|しはら}い", easy: "はらう", en: "Payment" },
  toPay: { ja: "お{支払|しはら}い{金額|きんがく}", easy: "はらう {金額|きんがく}", en: "Amount due" },
  tendered: { ja: "お{預|あず}かり{金額|きんがく}（{円|えん}）", easy: "もらった お{金|かね}（{円|えん}）", en: "Cash received (yen)" },
  exact: { ja: "ちょうど", easy: "ちょうど", en: "Exact" },
  addNote: { ja: "{amount}を{足|た}す", easy: "{amount}を たす", en: "Add {amount}" },
  clearTendered: { ja: "{金額|きんがく}を{消|け}す", easy: "{金額|きんがく}を {消|け}す", en: "Clear amount" },
  change: { ja: "お{釣|つ}り", easy: "おつり", en: "Change" },
  changeAnnounce: { ja: "お{釣|つ}り {change}", easy: "おつり {change}", en: "Change {change}" },
  short: { ja: "あと {amount} {足|た}りません", easy: "あと {amount} たりません", en: "{amount} short" },
  complete: { ja: "{会計|かいけい}を{完了|かんりょう}する", easy: "{会計|かいけい}を おわる", en: "Complete the sale" },
  cancel: { ja: "やめる", easy: "やめる", en: "Cancel" },
  method: { ja: "{支払|しはら}い{方法|ほうほう}", easy: "はらいかた", en: "Payment method" },
  CARD: { ja: "クレジットカード", easy: "クレジットカード", en: "Credit card" },
  EMONEY: { ja: "{交通系|こうつうけい}・{電子|でんし}マネー", easy: "{電子|でんし}マネー（Suica など）", en: "IC e-money" },
  QR: { ja: "QRコード{決済|けっさい}", easy: "QRコードで はらう", en: "QR code payment" },
  CASH: { ja: "{現金|げんきん}", easy: "お{金|かね}", en: "Cash" },
  reference: { ja: "{端末|たんまつ}の{伝票番号|でんぴょうばんごう}", easy: "カードの {機械|きかい}の {番号|ばんごう}", en: "Terminal reference" },
  cardHelp: { ja: "{決済端末|けっさいたんまつ}でお{支払|しはら}いが{済|す}んでから{押|お}してください。", easy: "カードの {機械|きかい}で はらいが おわってから おして ください。", en: "Press after the payment terminal has approved the payment." },
  pending: { ja: "{会計|かいけい}を{送信中|そうしんちゅう}です。{通信|つうしん}が{戻|もど}ると{自動|じどう}で{送|おく}ります。このまま{待|ま}ってください。", easy: "いま {送|おく}っています。まって ください。", en: "Sending the sale. It is sent automatically when the network is back; please wait." },
  pendingOtherUser: { ja: "{送信中|そうしんちゅう}の{会計|かいけい}は {name} さんのものです。{二重|にじゅう}に{売|う}らないため、{name} さんがログインしてから{送|おく}ってください。", easy: "{送|おく}っている {会計|かいけい}は {name} さんの ものです。2{回|かい} {売|う}らないように、{name} さんが ログインして {送|おく}って ください。", en: "The sale being sent is {name}'s. So that it is not sold twice, {name} must sign in to send it." },
  retry: { ja: "もう{一度|いちど}{送|おく}る", easy: "もう いちど {送|おく}る", en: "Send again" },
  pendingTries: { ja: "{再送|さいそう} {n}{回目|かいめ}", easy: "{送|おく}りなおし {n}{回|かい}", en: "retry {n}" },

  receiptTitle: { ja: "レシート", easy: "レシート", en: "Receipt" },
  receiptNo: { ja: "レシート{番号|ばんごう} {n}", easy: "レシートの {番号|ばんごう} {n}", en: "Receipt No. {n}" },
  paperWidth: { ja: "{用紙|ようし}の{幅|はば}", easy: "{紙|かみ}の はば", en: "Paper width" },
  print: { ja: "{印刷|いんさつ}する", easy: "{印刷|いんさつ}する", en: "Print" },
  nextCustomer: { ja: "{次|つぎ}のお{客|きゃく}さま", easy: "つぎの お{客|きゃく}さん", en: "Next customer" },
  receiptTax: { ja: "{税率|ぜいりつ}{rate}% {対象|たいしょう} {total}（{消費税|しょうひぜい} {tax}）", easy: "{税金|ぜいきん} {rate}%の {商品|しょうひん} {total}（{税金|ぜいきん} {tax}）", en: "{rate}%: {total} (tax {tax})" },
  receiptNonQualifying: { ja: "{税率|ぜいりつ}{rate}% {対象|たいしょう}（{適格請求書|てきかくせいきゅうしょ}{発行事業者|はっこうじぎょうしゃ}{以外|いがい}） {total}", easy: "{税金|ぜいきん} {rate}%の {商品|しょうひん}（インボイスの {登録|とうろく}が ない {作|つく}り{手|て}） {total}", en: "{rate}% (not from registered issuers): {total}" },

  voidTitle: { ja: "{取引|とりひき}の{取|と}り{消|け}し", easy: "{会計|かいけい}の {取|と}り{消|け}し", en: "Void a sale" },
  voidWhich: { ja: "レシート{番号|ばんごう} {n}、{合計|ごうけい} {total} を{取|と}り{消|け}します。{商品|しょうひん}は{在庫|ざいこ}に{戻|もど}ります。", easy: "レシートの {番号|ばんごう} {n}（{合計|ごうけい} {total}）を {取|と}り{消|け}します。{商品|しょうひん}は {在庫|ざいこ}に もどります。", en: "Void receipt No. {n}, total {total}. The goods go back into stock." },
  voidNone: { ja: "このレジで{取|と}り{消|け}せる{取引|とりひき}はありません。", easy: "この レジで {取|と}り{消|け}せる {会計|かいけい}は ありません。", en: "There is no sale on this register to void." },
  reason: { ja: "{理由|りゆう}", easy: "わけ", en: "Reason" },
  voidButton: { ja: "{取|と}り{消|け}す", easy: "{取|と}り{消|け}す", en: "Void the sale" },
  voided: { ja: "レシート{番号|ばんごう} {n} を{取|と}り{消|け}しました。", easy: "レシートの {番号|ばんごう} {n}を {取|と}り{消|け}しました。", en: "Receipt No. {n} is voided." },

  refundTitle: { ja: "{返品|へんぴん}", easy: "{返品|へんぴん}", en: "Refund" },
  receiptNumber: { ja: "レシート{番号|ばんごう}", easy: "レシートの {番号|ばんごう}", en: "Receipt number" },
  findSale: { ja: "{探|さが}す", easy: "さがす", en: "Find" },
  refundQty: { ja: "{返品|へんぴん}する{数|かず}", easy: "{返品|へんぴん}する かず", en: "Quantity to refund" },
  refundable: { ja: "{返品|へんぴん}できる{数|かず} {n}", easy: "{返品|へんぴん}できる かず {n}", en: "{n} can be refunded" },
  refundMethod: { ja: "{返金|へんきん}の{方法|ほうほう}", easy: "お{金|かね}の {返|かえ}しかた", en: "Refund by" },
  ORIGINAL: { ja: "お{支払|しはら}いと{同|おな}じ{方法|ほうほう}", easy: "はらった ときと {同|おな}じ", en: "The original payment method" },
  refundCash: { ja: "{全部|ぜんぶ}{現金|げんきん}で", easy: "{全部|ぜんぶ} お{金|かね}で", en: "Cash" },
  refundButton: { ja: "{返品|へんぴん}する", easy: "{返品|へんぴん}する", en: "Refund" },
  refundDone: { ja: "{返品|へんぴん}しました。{返金|へんきん} {total}", easy: "{返品|へんぴん}しました。{返|かえ}した お{金|かね} {total}", en: "Refunded {total}." },
  noSale: { ja: "その{番号|ばんごう}のレシートはありません。", easy: "その {番号|ばんごう}の レシートは ありません。", en: "There is no receipt with that number." },
  nothingToRefund: { ja: "{返品|へんぴん}する{数|かず}を{入|い}れてください。", easy: "{返品|へんぴん}する かずを {入|い}れて ください。", en: "Enter how many to refund." },
  voidedSale: { ja: "この{取引|とりひき}は{取|と}り{消|け}し{済|ず}みです。", easy: "この {会計|かいけい}は もう {取|と}り{消|け}しました。", en: "This sale was voided." },

  cashTitle: { ja: "{入金|にゅうきん}・{出金|しゅっきん}", easy: "お{金|かね}を {入|い}れる・{出|だ}す", en: "Cash in / out" },
  cashType: { ja: "{種類|しゅるい}", easy: "どちら", en: "Type" },
  IN: { ja: "{入金|にゅうきん}（レジに{入|い}れる）", easy: "レジに {入|い}れる", en: "Cash in (into the drawer)" },
  OUT: { ja: "{出金|しゅっきん}（レジから{出|だ}す）", easy: "レジから {出|だ}す", en: "Cash out (from the drawer)" },
  amount: { ja: "{金額|きんがく}（{円|えん}）", easy: "{金額|きんがく}（{円|えん}）", en: "Amount (yen)" },
  record: { ja: "{記録|きろく}する", easy: "{記録|きろく}する", en: "Record" },
  cashDone: { ja: "{記録|きろく}しました：{type} {amount}", easy: "{記録|きろく}しました：{type} {amount}", en: "Recorded: {type} {amount}" },

  closeTitle: { ja: "レジ{締|じ}め", easy: "レジを しめる", en: "Close the register" },
  countHelp: { ja: "レジの{中|なか}のお{金|かね}を{種類|しゅるい}ごとに{数|かぞ}えて、{枚数|まいすう}を{入|い}れてください。", easy: "レジの {中|なか}の お{金|かね}を かぞえて、お{札|さつ}と {玉|たま}の かずを {入|い}れて ください。", en: "Count the cash in the drawer and enter the number of each note and coin." },
  denom: { ja: "{d}{円|えん}", easy: "{d}{円|えん}", en: "¥{d}" },
  pieces: { ja: "{枚数|まいすう}", easy: "お{札|さつ}と {玉|たま}の かず", en: "count" },
  counted: { ja: "{数|かぞ}えた{合計|ごうけい}", easy: "かぞえた {合計|ごうけい}", en: "Counted total" },
  note: { ja: "メモ", easy: "メモ", en: "Note" },
  closeButton: { ja: "レジを{締|し}める", easy: "レジを しめる", en: "Close the register" },
  zTitle: { ja: "レジ{締|じ}め{報告|ほうこく}（Z レポート）", easy: "レジを しめた {報告|ほうこく}（Z レポート）", en: "Close report (Z report)" },
  zSales: { ja: "{売上|うりあげ}{件数|けんすう}", easy: "{会計|かいけい}の かず", en: "Sales" },
  zGross: { ja: "{総売上|そううりあげ}", easy: "{売|う}った {合計|ごうけい}", en: "Gross sales" },
  zVoids: { ja: "{取消|とりけし}", easy: "{取|と}り{消|け}し", en: "Voids" },
  zRefunds: { ja: "{返品|へんぴん}", easy: "{返品|へんぴん}", en: "Refunds" },
  zNet: { ja: "{純売上|じゅんうりあげ}", easy: "{返品|へんぴん}を {引|ひ}いた {売|う}り{上|あ}げ", en: "Net sales" },
  zFloat: { ja: "{釣銭準備金|つりせんじゅんびきん}", easy: "はじめに レジに {入|い}れた お{金|かね}", en: "Opening float" },
  zCashSales: { ja: "{現金|げんきん}{売上|うりあげ}", easy: "お{金|かね}で {売|う}った {合計|ごうけい}", en: "Cash sales" },
  zCashRefunds: { ja: "{現金|げんきん}{返金|へんきん}", easy: "お{金|かね}で {返|かえ}した {合計|ごうけい}", en: "Cash refunds" },
  zCashIn: { ja: "{入金|にゅうきん}", easy: "レジに {入|い}れた お{金|かね}", en: "Cash in" },
  zCashOut: { ja: "{出金|しゅっきん}", easy: "レジから {出|だ}した お{金|かね}", en: "Cash out" },
  zExpected: { ja: "あるはずの{現金|げんきん}", easy: "あるはずの お{金|かね}", en: "Expected cash" },
  zCounted: { ja: "{数|かぞ}えた{現金|げんきん}", easy: "かぞえた お{金|かね}", en: "Counted cash" },
  zOverShort: { ja: "{過不足|かぶそく}", easy: "{多|おお}い・たりない", en: "Over / short" },
  zShort: { ja: "{不足|ふそく} {amount}", easy: "たりない {amount}", en: "Short {amount}" },
  zOver: { ja: "{過剰|かじょう} {amount}", easy: "{多|おお}い {amount}", en: "Over {amount}" },
  zByMethod: { ja: "{支払|しはら}い{方法|ほうほう}{別|べつ}", easy: "はらいかた ごと", en: "By payment method" },
  zMethodNote: { ja: "{支払|しはら}い{方法|ほうほう}{別|べつ}の{現金|げんきん}は、{現金|げんきん}{売上|うりあげ}から{現金|げんきん}{返金|へんきん}を{引|ひ}いた{金額|きんがく}です。", easy: "はらいかた ごとの お{金|かね}は、お{金|かね}で {売|う}った {合計|ごうけい}から、お{金|かね}で {返|かえ}した {合計|ごうけい}を {引|ひ}いた {金額|きんがく}です。", en: "Cash by payment method is cash sales less cash refunds." },
  zByRate: { ja: "{税率|ぜいりつ}{別|べつ}", easy: "{税金|ぜいきん}の わりあい ごと", en: "By tax rate" },
  zCount: { ja: "{n}{件|けん}", easy: "{n}{件|けん}", en: "{n}" },
  zRate: { ja: "{税率|ぜいりつ}{rate}%", easy: "{税金|ぜいきん} {rate}%", en: "{rate}%" },
  zTax: { ja: "うち{消費税|しょうひぜい} {tax}", easy: "{税金|ぜいきん} {tax}", en: "tax {tax}" },
  toRegisters: { ja: "レジの{選択|せんたく}に{戻|もど}る", easy: "レジを {選|えら}ぶ {画面|がめん}に もどる", en: "Back to registers" },

  pickupTitle: { ja: "{受|う}け{取|と}り{待|ま}ちの{注文|ちゅうもん}", easy: "とりに くる {注文|ちゅうもん}", en: "Pickup orders waiting at this shop" },
  pickupHelp: { ja: "ネットで{支払|しはら}い{済|ず}みの{注文|ちゅうもん}です。{商品|しょうひん}をそろえたら「{準備|じゅんび}できた」、お{客|きゃく}さまに{渡|わた}したら「お{渡|わた}しした」を{押|お}してください。", easy: "ネットで お{金|かね}を はらった {注文|ちゅうもん}です。{商品|しょうひん}を そろえたら「じゅんび できた」、お{客|きゃく}さんに わたしたら「わたした」を おして ください。", en: "Orders paid online. Press “Ready” once the goods are packed, and “Handed over” once the shopper has them." },
  pickupToPrepare: { ja: "{準備|じゅんび}する{注文|ちゅうもん}（{支払|しはら}い{済|ず}み）", easy: "じゅんびする {注文|ちゅうもん}", en: "To prepare (paid)" },
  pickupToHand: { ja: "お{渡|わた}しを{待|ま}つ{注文|ちゅうもん}（{準備|じゅんび}{済|ず}み）", easy: "わたす {注文|ちゅうもん}", en: "Ready, waiting for the shopper" },
  pickupNoneToPrepare: { ja: "{準備|じゅんび}する{注文|ちゅうもん}はありません。", easy: "じゅんびする {注文|ちゅうもん}は ありません。", en: "No orders to prepare." },
  pickupNoneToHand: { ja: "お{渡|わた}しを{待|ま}つ{注文|ちゅうもん}はありません。", easy: "わたす {注文|ちゅうもん}は ありません。", en: "No orders waiting for pickup." },
  orderNo: { ja: "{注文|ちゅうもん} #{n}", easy: "{注文|ちゅうもん} #{n}", en: "Order #{n}" },
  orderName: { ja: "{name} さま", easy: "{name} さん", en: "{name}" },
  orderLines: { ja: "{商品|しょうひん}", easy: "{商品|しょうひん}", en: "Items" },
  markReady: { ja: "{準備|じゅんび}できた", easy: "じゅんび できた", en: "Ready" },
  handOver: { ja: "お{渡|わた}しした", easy: "わたした", en: "Handed over" },
  handOverAsk: { ja: "{name} さまに{注文|ちゅうもん} #{n} の{商品|しょうひん}をお{渡|わた}ししましたか？ {商品|しょうひん}はお{店|みせ}の{在庫|ざいこ}から{出|で}ます。", easy: "{name} さんに {注文|ちゅうもん} #{n} の {商品|しょうひん}を わたしましたか？", en: "Have you handed order #{n} to {name}? The goods leave the shop's stock." },
  handOverYes: { ja: "はい、お{渡|わた}ししました", easy: "はい、わたしました", en: "Yes, handed over" },
  handOverNo: { ja: "まだです", easy: "まだです", en: "Not yet" },
  newOrder: { ja: "{新|あたら}しい{注文|ちゅうもん} #{n}（{name} さま）が{届|とど}きました。", easy: "あたらしい {注文|ちゅうもん} #{n}（{name} さん）が きました。", en: "New order #{n} ({name}) has come in." },
  markedReady: { ja: "{注文|ちゅうもん} #{n} の{準備|じゅんび}ができました。お{客|きゃく}さまにお{知|し}らせしました。", easy: "{注文|ちゅうもん} #{n} の じゅんびが できました。お{客|きゃく}さんに しらせました。", en: "Order #{n} is ready; the shopper has been told." },
  handedOver: { ja: "{注文|ちゅうもん} #{n} をお{渡|わた}ししました。", easy: "{注文|ちゅうもん} #{n} を わたしました。", en: "Order #{n} is handed over." },
  orderFailed: { ja: "{注文|ちゅうもん} #{n}：", easy: "{注文|ちゅうもん} #{n}：", en: "Order #{n}: " },
  orderPending: { ja: "{注文|ちゅうもん} #{n} の{操作|そうさ}を{送信中|そうしんちゅう}です。{通信|つうしん}が{戻|もど}ると{自動|じどう}で{送|おく}ります。このまま{待|ま}ってください。", easy: "{注文|ちゅうもん} #{n} を いま {送|おく}っています。まって ください。", en: "Sending order #{n}. It is sent automatically when the network is back; please wait." },
  refreshList: { ja: "{一覧|いちらん}を{新|あたら}しくする", easy: "リストを {新|あたら}しく する", en: "Refresh the list" },

  loading: { ja: "{読|よ}み{込|こ}み{中|ちゅう}…", easy: "まって ください…", en: "Loading…" },
};

// Errors from the API, by code: what happened and what to do, in plain words.
const E = {
  PAYMENT_MISMATCH: { ja: "お{支払|しはら}いの{金額|きんがく}が{合計|ごうけい}と{合|あ}いません。", easy: "はらう {金額|きんがく}が {合計|ごうけい}と ちがいます。", en: "The payment does not match the total." },
  NO_OPEN_SESSION: { ja: "このレジは{閉|し}まっています。レジを{開|あ}けてから{続|つづ}けてください。", easy: "この レジは しまっています。レジを あけて ください。", en: "This register is closed. Open it to go on." },
  OVER_REFUND: { ja: "{売|う}った{数|かず}より{多|おお}くは{返品|へんぴん}できません。", easy: "{売|う}った かずより {多|おお}くは {返品|へんぴん}できません。", en: "You cannot refund more than was sold." },
  UNAUTHENTICATED: { ja: "ログインが{切|き}れました。もう{一度|いちど}ログインしてください。", easy: "ログインが きれました。もう いちど ログインして ください。", en: "You are signed out. Please sign in again." },
  FORBIDDEN: { ja: "この{操作|そうさ}はできません。{担当|たんとう}のお{店|みせ}か{確|たし}かめてください。", easy: "これは できません。あなたの {店|みせ}か たしかめて ください。", en: "You may not do this here. Check that this is your shop." },
  NOT_FOUND: { ja: "{見|み}つかりません。{番号|ばんごう}を{確|たし}かめてください。", easy: "ありません。{番号|ばんごう}を たしかめて ください。", en: "Not found. Check the number." },
  INTERNAL: { ja: "サーバーで{問題|もんだい}が{起|お}きました。しばらくしてから、もう{一度|いちど}{試|ため}してください。", easy: "サーバーに {問題|もんだい}が あります。すこし まって、もう いちど やって ください。", en: "Something went wrong on the server. Please try again in a moment." },
  INVALID_INPUT: { ja: "{入力|にゅうりょく}が{正|ただ}しくありません。", easy: "{入|い}れた ものが {正|ただ}しく ありません。", en: "This value is not valid." },
  REQUIRED: { ja: "{入力|にゅうりょく}してください。", easy: "{入|い}れて ください。", en: "Please fill this in." },
  TOO_LONG: { ja: "{文字|もじ}が{長|なが}すぎます。", easy: "{字|じ}が {多|おお}すぎます。", en: "This text is too long." },
  OUT_OF_RANGE: { ja: "{金額|きんがく}か{数|かず}が{範囲|はんい}の{外|そと}です。", easy: "{金額|きんがく}か かずが {大|おお}きすぎるか {小|ちい}さすぎます。", en: "The amount or number is out of range." },
  INVALID_JAN: { ja: "バーコードの{番号|ばんごう}が{正|ただ}しくありません。もう{一度|いちど}{読|よ}み{取|と}ってください。", easy: "バーコードの {番号|ばんごう}が {正|ただ}しく ありません。もう いちど {読|よ}んで ください。", en: "This barcode number is not valid. Scan it again." },
  INVALID_EMAIL: { ja: "メールアドレスの{形|かたち}が{正|ただ}しくありません。", easy: "メールアドレスが {正|ただ}しく ありません。", en: "This email address is not valid." },
  INVALID_CREDENTIALS: { ja: "メールアドレスかパスワードが{違|ちが}います。", easy: "メールアドレスか パスワードが ちがいます。", en: "The email or password is wrong." },
  INVALID_STATE: { ja: "いまはこの{操作|そうさ}ができません。", easy: "いまは これが できません。", en: "This cannot be done now." },
  INSUFFICIENT_STOCK: { ja: "{在庫|ざいこ}が{足|た}りません。{数|かず}を{減|へ}らしてください。", easy: "{在庫|ざいこ}が たりません。かずを へらして ください。", en: "Not enough stock. Lower the quantity." },
  IDEMPOTENCY_CONFLICT: { ja: "{同|おな}じ{操作|そうさ}がすでに{別|べつ}の{内容|ないよう}で{送|おく}られています。{画面|がめん}を{読|よ}み{込|こ}み{直|なお}してください。", easy: "{同|おな}じ ものが ちがう {中身|なかみ}で もう {送|おく}られました。{画面|がめん}を {新|あたら}しく して ください。", en: "This was already sent with other details. Reload the page." },
  DUPLICATE: { ja: "{同|おな}じものがすでにあります。", easy: "{同|おな}じ ものが もう あります。", en: "This exists already." },
  UNKNOWN_CODE: { ja: "その{番号|ばんごう}の{商品|しょうひん}はありません。", easy: "その {番号|ばんごう}の {商品|しょうひん}は ありません。", en: "No product has this code." },
  NOT_PAID: { ja: "この{注文|ちゅうもん}はまだお{支払|しはら}いが{済|す}んでいません。{商品|しょうひん}は{渡|わた}さないでください。", easy: "この {注文|ちゅうもん}は まだ お{金|かね}を もらって いません。{商品|しょうひん}を わたさないで ください。", en: "This order is not paid yet. Do not hand over the goods." },
  // INVALID_STATE on an online order: someone else acted on it first.
  ORDER_INVALID_STATE: { ja: "この{注文|ちゅうもん}は、ほかの{人|ひと}が{先|さき}に{準備|じゅんび}したか、お{渡|わた}ししたか、{取|と}り{消|け}されています。{一覧|いちらん}を{新|あたら}しくしました。", easy: "この {注文|ちゅうもん}は もう ほかの {人|ひと}が {進|すす}めたか、やめに なりました。リストを {新|あたら}しく しました。", en: "Someone else already prepared, handed over or cancelled this order. The list is up to date now." },
  NETWORK: { ja: "サーバーにつながりません。{通信|つうしん}を{確|たし}かめて、もう{一度|いちど}{試|ため}してください。", easy: "サーバーに つながりません。ネットを たしかめて、もう いちど やって ください。", en: "Cannot reach the server. Check the network and try again." },
  UNAVAILABLE: { ja: "サーバーが{混|こ}み{合|あ}っています。{会計|かいけい}は{自動|じどう}でもう{一度|いちど}{送|おく}ります。", easy: "サーバーが いそがしいです。もう いちど {自動|じどう}で {送|おく}ります。", en: "The server is busy. The sale is sent again automatically." },
  TIMEOUT: { ja: "サーバーの{答|こた}えが{遅|おそ}れています。もう{一度|いちど}{送|おく}ってください。", easy: "サーバーの {答|こた}えが おそいです。もう いちど {送|おく}って ください。", en: "The server took too long. Please send it again." },
  RATE_LIMITED: { ja: "{操作|そうさ}が{多|おお}すぎます。{少|すこ}し{待|ま}ってから、もう{一度|いちど}{試|ため}してください。", easy: "{操作|そうさ}が {多|おお}すぎます。すこし まって、もう いちど やって ください。", en: "Too many requests. Wait a moment and try again." },
  OTHER_USER_SALE: { ja: "{送信中|そうしんちゅう}の{会計|かいけい}は{別|べつ}の{担当者|たんとうしゃ}のものです。その{人|ひと}がログインしてから{送|おく}ってください。", easy: "{送|おく}っている {会計|かいけい}は ほかの {人|ひと}の ものです。その {人|ひと}が ログインして {送|おく}って ください。", en: "The sale being sent belongs to another clerk; that clerk must sign in to send it." },
};

const prefs = {
  lang: localStorage.getItem("pos.lang") || "ja",
  furigana: localStorage.getItem("pos.furigana") === "1",
  large: localStorage.getItem("pos.large") === "1",
};

export function getPrefs() {
  return { ...prefs };
}

export function setPref(name, value) {
  prefs[name] = value;
  localStorage.setItem("pos." + name, typeof value === "boolean" ? (value ? "1" : "0") : value);
}

function pick(entry) {
  if (!entry) return "";
  if (prefs.lang === "en") return entry.en;
  if (prefs.furigana && entry.easy) return entry.easy;
  return entry.ja;
}

function fill(s, vars) {
  return s.replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? (vars[k] instanceof Node ? vars[k].textContent : String(vars[k])) : m));
}

const RUBY = /\{([^|{}]+)\|([^{}]+)\}/g;

// plain drops the furigana marks.
function plain(s) {
  return s.replace(RUBY, "$1");
}

// rich turns a marked string into nodes: ruby in furigana mode, text otherwise.
function rich(s) {
  const frag = document.createDocumentFragment();
  if (!prefs.furigana || prefs.lang !== "ja") {
    frag.append(plain(s));
    return frag;
  }
  let last = 0;
  for (const m of s.matchAll(RUBY)) {
    frag.append(s.slice(last, m.index));
    const ruby = document.createElement("ruby");
    // Screen readers read the kanji; the reading is for the eyes.
    const rt = document.createElement("rt");
    rt.setAttribute("aria-hidden", "true");
    rt.textContent = m[2];
    ruby.append(m[1], rt);
    frag.append(ruby);
    last = m.index + m[0].length;
  }
  frag.append(s.slice(last));
  return frag;
}

// Values are filled in before the marks are read, so that names from the API
// never turn into markup.
function render(entry, vars, words = rich) {
  const s = pick(entry);
  // Split on placeholders so that values stay plain text.
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of s.matchAll(/\{(\w+)\}/g)) {
    frag.append(words(s.slice(last, m.index)));
    const v = vars && m[1] in vars ? vars[m[1]] : m[0];
    // A node (a name marked with its language) goes in as it is.
    frag.append(v instanceof Node ? v.cloneNode(true) : String(v));
    last = m.index + m[0].length;
  }
  frag.append(words(s.slice(last)));
  return frag;
}

export function t(key, vars) {
  return render(M[key], vars);
}

// tl gives the words for the live region: plain text (no ruby, which a screen
// reader would read twice), with names given as nodes kept as they are, so that a
// Japanese name in an English sentence is read with a Japanese voice.
export function tl(key, vars) {
  return render(M[key], vars, plain);
}

export function ts(key, vars) {
  return fill(plain(pick(M[key])), vars);
}

// errText is the plain words for an API error code (never the code itself).
export function errNode(code) {
  return render(E[code] || E.INTERNAL);
}

export function errText(code) {
  return plain(pick(E[code] || E.INTERNAL));
}

export function yen(n) {
  return "¥" + Number(n).toLocaleString("ja-JP");
}

export function locale() {
  if (prefs.lang === "en") return "EN";
  return prefs.furigana ? "JA_X_EASY" : "JA";
}

// money is an amount in yen for the large figures on screen: it may break after
// a thousands comma, never inside a group, so a long amount wraps inside its box
// instead of running off a narrow screen.
export function money(n) {
  const frag = document.createDocumentFragment();
  yen(n).split(",").forEach((part, i) => {
    if (i) frag.append(",", document.createElement("wbr"));
    frag.append(part);
  });
  return frag;
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
const KANJI = /[\u3400-\u9fff]/;

// named shows a name from the API (a shop, register, clerk or product): in the
// English interface a name in Japanese script is marked lang="ja", so that a
// screen reader reads it with a Japanese voice.
export function named(text) {
  text = String(text == null ? "" : text);
  if (prefs.lang === "en" && JAPANESE.test(text)) {
    const span = document.createElement("span");
    span.lang = "ja";
    span.textContent = text;
    return span;
  }
  return document.createTextNode(text);
}

// withReading is a name from the API with its reading: a product's, a shop's or a
// person's ({name, nameReading}). In furigana mode a name with kanji gets its
// reading over it as ruby; otherwise it is named() as it is.
export function withReading(x) {
  if (prefs.lang === "ja" && prefs.furigana && x.nameReading && KANJI.test(x.name)) {
    const ruby = document.createElement("ruby");
    const rt = document.createElement("rt");
    // Screen readers read the name; the reading is for the eyes.
    rt.setAttribute("aria-hidden", "true");
    rt.textContent = x.nameReading;
    ruby.append(x.name, rt);
    return ruby;
  }
  return named(x.name);
}

// strings lists every entry, for the checks that each has all three versions.
export function strings() {
  return { ...M, ...Object.fromEntries(Object.entries(E).map(([k, v]) => ["E." + k, v])) };
}

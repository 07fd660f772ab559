package mail

import "tsunagu/internal/tsunagu"

// signature closes every message: who wrote it, and that a reply reaches nobody.
var signature = map[tsunagu.Locale]string{
	tsunagu.LocaleJA:     "-- \nつなぐ（Tsunagu）\nこのメールは送信専用です。返信はできません。",
	tsunagu.LocaleJAEasy: "-- \nつなぐ（Tsunagu）\nこの メールに へんじを しても、とどきません。",
	tsunagu.LocaleEN:     "-- \nTsunagu\nThis address does not receive replies.",
	tsunagu.LocaleZH:     "-- \nTsunagu（つなぐ）\n此邮件为系统自动发送，请勿回复。",
	tsunagu.LocaleKO:     "-- \nTsunagu（つなぐ）\n이 메일은 발신 전용입니다. 회신할 수 없습니다.",
}

// templates holds every message in every language. やさしい日本語 uses short
// sentences, everyday words and kana, with spaces between phrases.
var templates = map[Kind]map[tsunagu.Locale]text{
	KindOrderPaid: {
		tsunagu.LocaleJA: {"ご注文を承りました（注文番号 {{.Number}}）", `
{{.Name}} 様

ご注文の代金 {{yen .Total}} のお支払いを確認しました。ありがとうございます。

注文番号: {{.Number}}
お店: {{.ShopName}}
{{range .Lines}}
・{{.Name}} × {{.Quantity}}　{{yen .Amount}}{{end}}

{{if .Pickup}}商品の準備ができましたら、あらためてメールでお知らせします。{{else}}商品を発送しましたら、あらためてメールでお知らせします。{{end}}`},
		tsunagu.LocaleJAEasy: {"ちゅうもん を うけつけました（ばんごう {{.Number}}）", `
{{.Name}} さん

ちゅうもん ありがとう ございます。
お金 {{yen .Total}} を うけとりました。

ちゅうもんの ばんごう: {{.Number}}
おみせ: {{.ShopName}}
{{range .Lines}}
・{{.Name}} × {{.Quantity}}　{{yen .Amount}}{{end}}

{{if .Pickup}}しなものの じゅんびが できたら、また メールを おくります。{{else}}しなものを おくったら、また メールを おくります。{{end}}`},
		tsunagu.LocaleEN: {"Your order {{.Number}} is paid", `
Dear {{.Name}},

Thank you for your order. We have received your payment of {{yen .Total}}.

Order number: {{.Number}}
Shop: {{.ShopName}}
{{range .Lines}}
- {{.Name}} × {{.Quantity}}  {{yen .Amount}}{{end}}

{{if .Pickup}}We will e-mail you again when your order is ready to collect.{{else}}We will e-mail you again when your order has been shipped.{{end}}`},
		tsunagu.LocaleZH: {"您的订单已付款（订单号 {{.Number}}）", `
{{.Name}} 您好：

感谢您的订购。我们已收到您的付款 {{yen .Total}}。

订单号：{{.Number}}
店铺：{{.ShopName}}
{{range .Lines}}
・{{.Name}} × {{.Quantity}}　{{yen .Amount}}{{end}}

{{if .Pickup}}商品准备好后，我们会再发邮件通知您。{{else}}商品发货后，我们会再发邮件通知您。{{end}}`},
		tsunagu.LocaleKO: {"주문이 결제되었습니다 (주문 번호 {{.Number}})", `
{{.Name}} 님

주문해 주셔서 감사합니다. {{yen .Total}} 결제를 확인했습니다.

주문 번호: {{.Number}}
매장: {{.ShopName}}
{{range .Lines}}
- {{.Name}} × {{.Quantity}}  {{yen .Amount}}{{end}}

{{if .Pickup}}상품이 준비되면 다시 메일로 알려 드리겠습니다.{{else}}상품을 발송하면 다시 메일로 알려 드리겠습니다.{{end}}`},
	},
	KindOrderReady: {
		tsunagu.LocaleJA: {"ご注文の商品をお受け取りいただけます（注文番号 {{.Number}}）", `
{{.Name}} 様

ご注文の商品の準備ができました。{{.ShopName}} の店頭でお受け取りください。
お受け取りの際は、注文番号 {{.Number}} をお伝えください。`},
		tsunagu.LocaleJAEasy: {"しなものを とりに きて ください（ばんごう {{.Number}}）", `
{{.Name}} さん

ちゅうもんの しなものの じゅんびが できました。
おみせ「{{.ShopName}}」に とりに きて ください。
おみせの 人に ちゅうもんの ばんごう {{.Number}} を いって ください。`},
		tsunagu.LocaleEN: {"Your order {{.Number}} is ready to collect", `
Dear {{.Name}},

Your order is ready. Please collect it at {{.ShopName}}.
Tell the staff your order number: {{.Number}}.`},
		tsunagu.LocaleZH: {"您的订单可以取货了（订单号 {{.Number}}）", `
{{.Name}} 您好：

您订购的商品已准备好，请到「{{.ShopName}}」取货。
取货时请告知店员订单号 {{.Number}}。`},
		tsunagu.LocaleKO: {"주문하신 상품을 찾아가실 수 있습니다 (주문 번호 {{.Number}})", `
{{.Name}} 님

주문하신 상품이 준비되었습니다. {{.ShopName}} 매장에서 찾아가 주세요.
찾으실 때 주문 번호 {{.Number}} 을(를) 알려 주세요.`},
	},
	KindOrderShipped: {
		tsunagu.LocaleJA: {"ご注文の商品を発送しました（注文番号 {{.Number}}）", `
{{.Name}} 様

ご注文の商品を発送しました。

注文番号: {{.Number}}
配送業者: {{.Carrier}}{{if .TrackingNumber}}
お問い合わせ番号: {{.TrackingNumber}}{{end}}`},
		tsunagu.LocaleJAEasy: {"しなものを おくりました（ばんごう {{.Number}}）", `
{{.Name}} さん

ちゅうもんの しなものを おくりました。

ちゅうもんの ばんごう: {{.Number}}
はこぶ 会社（かいしゃ）: {{.Carrier}}{{if .TrackingNumber}}
にもつの ばんごう: {{.TrackingNumber}}{{end}}`},
		tsunagu.LocaleEN: {"Your order {{.Number}} has been shipped", `
Dear {{.Name}},

Your order has been shipped.

Order number: {{.Number}}
Carrier: {{.Carrier}}{{if .TrackingNumber}}
Tracking number: {{.TrackingNumber}}{{end}}`},
		tsunagu.LocaleZH: {"您的订单已发货（订单号 {{.Number}}）", `
{{.Name}} 您好：

您订购的商品已发货。

订单号：{{.Number}}
快递公司：{{.Carrier}}{{if .TrackingNumber}}
运单号：{{.TrackingNumber}}{{end}}`},
		tsunagu.LocaleKO: {"주문하신 상품을 발송했습니다 (주문 번호 {{.Number}})", `
{{.Name}} 님

주문하신 상품을 발송했습니다.

주문 번호: {{.Number}}
택배사: {{.Carrier}}{{if .TrackingNumber}}
운송장 번호: {{.TrackingNumber}}{{end}}`},
	},
	KindOrderCancelled: {
		tsunagu.LocaleJA: {"ご注文をキャンセルしました（注文番号 {{.Number}}）", `
{{.Name}} 様

ご注文（注文番号 {{.Number}}、{{.ShopName}}）はキャンセルされました。
お支払い済みの代金は、ご利用のカードに返金されます。`},
		tsunagu.LocaleJAEasy: {"ちゅうもんを とりけしました（ばんごう {{.Number}}）", `
{{.Name}} さん

ちゅうもん（ばんごう {{.Number}}、おみせ「{{.ShopName}}」）を とりけしました。
もう はらった お金は、カードに かえします。`},
		tsunagu.LocaleEN: {"Your order {{.Number}} has been cancelled", `
Dear {{.Name}},

Your order {{.Number}} at {{.ShopName}} has been cancelled.
Anything you paid is refunded to your card.`},
		tsunagu.LocaleZH: {"您的订单已取消（订单号 {{.Number}}）", `
{{.Name}} 您好：

您在「{{.ShopName}}」的订单（订单号 {{.Number}}）已取消。
已支付的款项将退回您的银行卡。`},
		tsunagu.LocaleKO: {"주문이 취소되었습니다 (주문 번호 {{.Number}})", `
{{.Name}} 님

{{.ShopName}} 매장의 주문(주문 번호 {{.Number}})이 취소되었습니다.
결제하신 금액은 카드로 환불됩니다.`},
	},
	KindOrderRefunded: {
		tsunagu.LocaleJA: {"返金のお知らせ（注文番号 {{.Number}}）", `
{{.Name}} 様

ご注文（注文番号 {{.Number}}）の代金を返金しました。
返金額の合計: {{yen .Refunded}}
カード会社によっては、ご利用明細に反映されるまで日数がかかることがあります。`},
		tsunagu.LocaleJAEasy: {"お金を かえしました（ばんごう {{.Number}}）", `
{{.Name}} さん

ちゅうもん（ばんごう {{.Number}}）の お金を かえしました。
かえした お金: {{yen .Refunded}}
カードの 会社（かいしゃ）に よって、すこし 時間（じかん）が かかります。`},
		tsunagu.LocaleEN: {"Refund for your order {{.Number}}", `
Dear {{.Name}},

We have refunded your order {{.Number}}.
Refunded in total: {{yen .Refunded}}
Your card issuer may take a few days to show it on your statement.`},
		tsunagu.LocaleZH: {"退款通知（订单号 {{.Number}}）", `
{{.Name}} 您好：

您的订单（订单号 {{.Number}}）已退款。
退款总额：{{yen .Refunded}}
根据发卡机构的不同，退款可能需要几天才会显示在账单上。`},
		tsunagu.LocaleKO: {"환불 안내 (주문 번호 {{.Number}})", `
{{.Name}} 님

주문(주문 번호 {{.Number}}) 금액을 환불했습니다.
환불 합계: {{yen .Refunded}}
카드사에 따라 명세서에 반영되기까지 며칠이 걸릴 수 있습니다.`},
	},
	KindPasswordReset: {
		tsunagu.LocaleJA: {"パスワードの再設定", `
{{if .Name}}{{.Name}} 様{{else}}つなぐをご利用の方へ{{end}}

パスワードの再設定を受け付けました。次のリンクを開いて、新しいパスワードを設定してください。

{{.Link}}

このリンクは1時間有効で、1回だけ使えます。
お心当たりのない場合は、このメールを破棄してください。パスワードは変わりません。`},
		tsunagu.LocaleJAEasy: {"パスワードを かえる ための メール", `
{{if .Name}}{{.Name}} さん{{else}}こんにちは。{{end}}

パスワードを かえる ための リンクです。
つぎの リンクを ひらいて、あたらしい パスワードを きめて ください。

{{.Link}}

この リンクは 1時間（いちじかん）だけ、1回（いっかい）だけ つかえます。
もし あなたが たのんで いなければ、この メールを すてて ください。パスワードは かわりません。`},
		tsunagu.LocaleEN: {"Reset your password", `
{{if .Name}}Dear {{.Name}},{{else}}Hello,{{end}}

We received a request to reset your password. Open this link to choose a new one:

{{.Link}}

The link works once, for one hour.
If you did not ask for this, ignore this e-mail: your password stays as it is.`},
		tsunagu.LocaleZH: {"重置密码", `
{{if .Name}}{{.Name}} 您好：{{else}}您好：{{end}}

我们收到了重置密码的请求。请打开以下链接设置新密码：

{{.Link}}

此链接在一小时内有效，且只能使用一次。
如果这不是您本人的操作，请忽略此邮件，您的密码不会改变。`},
		tsunagu.LocaleKO: {"비밀번호 재설정", `
{{if .Name}}{{.Name}} 님{{else}}안녕하세요.{{end}}

비밀번호 재설정 요청을 받았습니다. 아래 링크를 열어 새 비밀번호를 설정해 주세요.

{{.Link}}

이 링크는 1시간 동안 한 번만 사용할 수 있습니다.
요청하지 않으셨다면 이 메일을 무시해 주세요. 비밀번호는 바뀌지 않습니다.`},
	},
	KindStaffInvitation: {
		tsunagu.LocaleJA: {"つなぐへの招待", `
{{.Inviter}} さんから、つなぐのスタッフとして招待されました。
次のリンクを開いて、お名前とパスワードを設定してください。

{{.Link}}

このリンクは72時間有効で、1回だけ使えます。
お心当たりのない場合は、このメールを破棄してください。`},
		tsunagu.LocaleJAEasy: {"つなぐの スタッフに なって ください", `
{{.Inviter}} さんが、あなたを つなぐの スタッフに よんで います。
つぎの リンクを ひらいて、なまえと パスワードを きめて ください。

{{.Link}}

この リンクは 3日（みっか）の あいだ、1回（いっかい）だけ つかえます。
もし こころあたりが なければ、この メールを すてて ください。`},
		tsunagu.LocaleEN: {"You are invited to Tsunagu", `
{{.Inviter}} has invited you to join Tsunagu as a staff member.
Open this link to choose your name and password:

{{.Link}}

The link works once, for 72 hours.
If you do not expect this invitation, ignore this e-mail.`},
		tsunagu.LocaleZH: {"Tsunagu 邀请", `
{{.Inviter}} 邀请您作为工作人员加入 Tsunagu（つなぐ）。
请打开以下链接，设置您的姓名和密码：

{{.Link}}

此链接在 72 小时内有效，且只能使用一次。
如果您不认识邀请人，请忽略此邮件。`},
		tsunagu.LocaleKO: {"Tsunagu 초대", `
{{.Inviter}} 님이 Tsunagu(つなぐ) 스태프로 초대했습니다.
아래 링크를 열어 이름과 비밀번호를 설정해 주세요.

{{.Link}}

이 링크는 72시간 동안 한 번만 사용할 수 있습니다.
초대받을 일이 없으시다면 이 메일을 무시해 주세요.`},
	},
	KindEmailVerification: {
		tsunagu.LocaleJA: {"メールアドレスの確認", `
{{if .Name}}{{.Name}} 様{{else}}つなぐをご利用の方へ{{end}}

つなぐのアカウントにご登録いただき、ありがとうございます。
次のリンクを開き、登録したパスワードを入れて、このメールアドレスがあなたのものであることを確認してください。
確認するとサインインでき、ご注文の履歴が見られるようになり、ゲストとしてこのアドレスでされたご注文もアカウントにまとまります。

{{.Link}}

このリンクは24時間有効で、1回だけ使えます。
お心当たりのない場合は、このメールを破棄してください。`},
		tsunagu.LocaleJAEasy: {"メールアドレスの かくにん", `
{{if .Name}}{{.Name}} さん{{else}}こんにちは。{{end}}

つなぐに とうろく して くれて ありがとう ございます。
つぎの リンクを ひらいて、きめた パスワードを いれて ください。
この メールアドレスが あなたの ものだと わかります。
そうすると、サインイン できて、ちゅうもんの りれきが みられるように なります。

{{.Link}}

この リンクは 24時間（にじゅうよじかん）だけ、1回（いっかい）だけ つかえます。
もし こころあたりが なければ、この メールを すてて ください。`},
		tsunagu.LocaleEN: {"Confirm your e-mail address", `
{{if .Name}}Dear {{.Name}},{{else}}Hello,{{end}}

Thank you for signing up to Tsunagu. Open this link and enter the password you chose to confirm that this address is yours.
Once it is confirmed you are signed in and can see your order history, and orders placed as a guest with this address join your account.

{{.Link}}

The link works once, for 24 hours.
If you did not sign up, ignore this e-mail.`},
		tsunagu.LocaleZH: {"确认您的电子邮件地址", `
{{if .Name}}{{.Name}} 您好：{{else}}您好：{{end}}

感谢您注册 Tsunagu（つなぐ）。请打开以下链接并输入您设置的密码，确认此地址属于您。
确认后即可登录并查看订单记录，以访客身份用此地址下的订单也会归入您的账户。

{{.Link}}

此链接在 24 小时内有效，且只能使用一次。
如果您没有注册，请忽略此邮件。`},
		tsunagu.LocaleKO: {"이메일 주소 확인", `
{{if .Name}}{{.Name}} 님{{else}}안녕하세요.{{end}}

Tsunagu(つなぐ)에 가입해 주셔서 감사합니다. 아래 링크를 열고 설정한 비밀번호를 입력하여 이 주소가 본인의 것임을 확인해 주세요.
확인하면 로그인되어 주문 내역을 볼 수 있고, 이 주소로 비회원 주문한 내역도 계정에 합쳐집니다.

{{.Link}}

이 링크는 24시간 동안 한 번만 사용할 수 있습니다.
가입하지 않으셨다면 이 메일을 무시해 주세요.`},
	},
	KindAccountExists: {
		tsunagu.LocaleJA: {"つなぐのアカウントについて", `
{{if .Name}}{{.Name}} 様{{else}}つなぐをご利用の方へ{{end}}

このメールアドレスで、つなぐのアカウントの登録がありました。
このアドレスのアカウントはすでにありますので、新しいアカウントは作っていません。

ご自身の登録でしたら、次のページからサインインしてください。パスワードをお忘れの場合は、同じページから再設定できます。

{{.Link}}

お心当たりのない場合は、このメールを破棄してください。アカウントは何も変わっていません。`},
		tsunagu.LocaleJAEasy: {"つなぐの アカウントに ついて", `
{{if .Name}}{{.Name}} さん{{else}}こんにちは。{{end}}

この メールアドレスで、つなぐに とうろく しようと した 人が います。
この アドレスの アカウントは もう あるので、あたらしい アカウントは つくって いません。

あなたが とうろく したなら、つぎの ページで サインイン して ください。
パスワードを わすれたら、おなじ ページで あたらしく きめられます。

{{.Link}}

もし こころあたりが なければ、この メールを すてて ください。アカウントは なにも かわって いません。`},
		tsunagu.LocaleEN: {"About your Tsunagu account", `
{{if .Name}}Dear {{.Name}},{{else}}Hello,{{end}}

Somebody asked to sign up to Tsunagu with this e-mail address. It has an account already, so no new account was made.

If it was you, sign in on this page; if you forgot your password, you can reset it there:

{{.Link}}

If it was not you, ignore this e-mail: nothing about your account has changed.`},
		tsunagu.LocaleZH: {"关于您的 Tsunagu 账户", `
{{if .Name}}{{.Name}} 您好：{{else}}您好：{{end}}

有人使用此电子邮件地址申请注册 Tsunagu（つなぐ）。此地址已有账户，因此没有创建新账户。

如果是您本人，请在以下页面登录；如果忘记了密码，也可以在该页面重置：

{{.Link}}

如果不是您本人，请忽略此邮件，您的账户没有任何变化。`},
		tsunagu.LocaleKO: {"Tsunagu 계정 안내", `
{{if .Name}}{{.Name}} 님{{else}}안녕하세요.{{end}}

이 이메일 주소로 Tsunagu(つなぐ) 가입 신청이 있었습니다. 이 주소의 계정이 이미 있어 새 계정은 만들지 않았습니다.

본인이 신청하셨다면 아래 페이지에서 로그인해 주세요. 비밀번호를 잊으셨다면 같은 페이지에서 재설정할 수 있습니다.

{{.Link}}

본인이 아니라면 이 메일을 무시해 주세요. 계정에는 아무 변화도 없습니다.`},
	},
}

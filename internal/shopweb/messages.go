package shopweb

import "tsunagu/internal/tsunagu"

// Language keys of the message table, short for readability.
const (
	ja   = tsunagu.LocaleJA
	easy = tsunagu.LocaleJAEasy
	en   = tsunagu.LocaleEN
	zh   = tsunagu.LocaleZH
	ko   = tsunagu.LocaleKO
)

// messages holds every string of the storefront and the account pages in every
// language. Japanese marks furigana as {漢字|かんじ} (ruby in やさしい日本語, plain
// in 日本語); {name} is a placeholder. やさしい日本語 uses short sentences, everyday
// words and spaces between phrases, and one word for one thing: ログイン is
// signing in, アカウント an account.
var messages = map[string]map[tsunagu.Locale]string{
	"siteName": {ja: "つなぐ ショップ", easy: "つなぐ ショップ", en: "Tsunagu Shop", zh: "Tsunagu 商店", ko: "Tsunagu 숍"},
	"skip": {ja: "{本文|ほんぶん}へ{移動|いどう}", easy: "{本文|ほんぶん}へ {行|い}く", en: "Skip to main content",
		zh: "跳到正文", ko: "본문으로 건너뛰기"},
	"language": {ja: "{言語|げんご}", easy: "ことば", en: "Language", zh: "语言", ko: "언어"},
	"required": {ja: "（{必須|ひっす}）", easy: "（かならず {書|か}く）", en: " (required)", zh: "（必填）", ko: " (필수)"},
	"email":    {ja: "メールアドレス", easy: "メールアドレス", en: "Email address", zh: "电子邮箱", ko: "이메일 주소"},
	"password": {ja: "パスワード", easy: "パスワード", en: "Password", zh: "密码", ko: "비밀번호"},
	"name":     {ja: "お{名前|なまえ}", easy: "{名前|なまえ}", en: "Your name", zh: "姓名", ko: "이름"},
	"nameReading": {ja: "お{名前|なまえ}の{読|よ}み{方|かた}", easy: "{名前|なまえ}の よみかた", en: "Your name's reading in kana",
		zh: "姓名的读音（假名）", ko: "이름 읽는 법(가나)"},
	"nameReadingHint": {ja: "ひらがなかカタカナで。レジの{画面|がめん}で、お{名前|なまえ}の{上|うえ}にふりがなとして{出|で}ます。",
		easy: "ひらがなか カタカナで {書|か}いて ください。レジの {画面|がめん}で {名前|なまえ}の {上|うえ}に {出|で}ます。",
		en:   "In hiragana or katakana; the POS shows it over your name as furigana.",
		zh:   "请用平假名或片假名填写，收银画面会把它作为注音显示在姓名上方。",
		ko:   "히라가나나 가타카나로 적어 주세요. 계산대 화면에서 이름 위에 후리가나로 표시됩니다."},
	"newPassword": {ja: "{新|あたら}しいパスワード", easy: "{新|あたら}しい パスワード", en: "New password",
		zh: "新密码", ko: "새 비밀번호"},
	"passwordHint": {ja: "{n}{文字|もじ}{以上|いじょう}。{覚|おぼ}えやすい{言葉|ことば}をいくつか{並|なら}べると{安全|あんぜん}です。",
		easy: "{n}{文字|もじ}か それより {長|なが}く して ください。{言葉|ことば}を いくつか ならべると {安全|あんぜん}です。",
		en:   "At least {n} characters. A few words in a row are safe and easy to remember.",
		zh:   "至少 {n} 个字符。把几个词连在一起既安全又好记。",
		ko:   "{n}자 이상. 단어 몇 개를 이어 쓰면 안전하고 기억하기 쉽습니다."},
	// The reset link does not say whose account it is: both rules are stated.
	"passwordHintReset": {ja: "{n}{文字|もじ}{以上|いじょう}（スタッフのアカウントは{staff}{文字|もじ}{以上|いじょう}）。{覚|おぼ}えやすい{言葉|ことば}をいくつか{並|なら}べると{安全|あんぜん}です。",
		easy: "{n}{文字|もじ}か それより {長|なが}く して ください（スタッフは {staff}{文字|もじ}か それより {長|なが}く）。{言葉|ことば}を いくつか ならべると {安全|あんぜん}です。",
		en:   "At least {n} characters ({staff} for a staff account). A few words in a row are safe and easy to remember.",
		zh:   "至少 {n} 个字符（员工账户至少 {staff} 个字符）。把几个词连在一起既安全又好记。",
		ko:   "{n}자 이상(직원 계정은 {staff}자 이상). 단어 몇 개를 이어 쓰면 안전하고 기억하기 쉽습니다."},
	"errorSummary": {ja: "{入力|にゅうりょく}を{確|たし}かめてください", easy: "{書|か}いた ことを たしかめて ください",
		en: "Please check what you entered", zh: "请检查您输入的内容", ko: "입력한 내용을 확인해 주세요"},
	"backToShop": {ja: "ショップのトップへ", easy: "ショップの はじめの ページへ", en: "Go to the shop", zh: "返回商店首页", ko: "숍 첫 화면으로"},

	// Errors, by the API's code.
	"errRequired": {ja: "{入力|にゅうりょく}してください。", easy: "{書|か}いて ください。", en: "Enter this.", zh: "请填写此项。", ko: "입력해 주세요."},
	"errToken": {ja: "このリンクは{使|つか}えません。{一度|いちど}{使|つか}ったか、{期限|きげん}が{過|す}ぎています。",
		easy: "この リンクは {使|つか}えません。もう {使|つか}ったか、{時間|じかん}が {過|す}ぎました。",
		en:   "This link no longer works: it was used already or has expired.",
		zh:   "此链接已失效：已被使用或已过期。", ko: "이 링크는 더 이상 쓸 수 없습니다. 이미 사용했거나 기한이 지났습니다."},
	"errCredentials": {ja: "メールアドレスかパスワードが{違|ちが}います。", easy: "メールアドレスか パスワードが ちがいます。",
		en: "The email address or password is wrong.", zh: "电子邮箱或密码不正确。", ko: "이메일 주소 또는 비밀번호가 틀립니다."},
	"errPassword": {ja: "パスワードが{違|ちが}います。{登録|とうろく}のときに{決|き}めたパスワードを{入|い}れてください。",
		easy: "パスワードが ちがいます。{登録|とうろく}の ときに {決|き}めた パスワードを {書|か}いて ください。",
		en:   "The password is wrong. Enter the password you chose when you signed up.",
		zh:   "密码不正确。请输入注册时设置的密码。", ko: "비밀번호가 틀립니다. 가입할 때 정한 비밀번호를 입력해 주세요."},
	"errShort": {ja: "パスワードは{n}{文字|もじ}{以上|いじょう}にしてください。", easy: "パスワードは {n}{文字|もじ}か それより {長|なが}く して ください。",
		en: "Use at least {n} characters.", zh: "密码至少需要 {n} 个字符。", ko: "비밀번호는 {n}자 이상이어야 합니다."},
	"errTooLong": {ja: "{長|なが}すぎます。", easy: "{長|なが}すぎます。", en: "This is too long.", zh: "内容过长。", ko: "너무 깁니다."},
	"errEmail": {ja: "メールアドレスの{形|かたち}になっていません（{例|れい}: name@example.jp）。",
		easy: "メールアドレスが {正|ただ}しく ありません（{例|れい}: name@example.jp）。",
		en:   "This is not an email address (for example name@example.jp).", zh: "电子邮箱格式不正确（例如 name@example.jp）。",
		ko: "이메일 주소 형식이 아닙니다 (예: name@example.jp)."},
	"errInvalid": {ja: "この{内容|ないよう}は{使|つか}えません。", easy: "これは {使|つか}えません。", en: "This cannot be used.",
		zh: "此内容无法使用。", ko: "이 내용은 사용할 수 없습니다."},
	"errAttempts": {ja: "{失敗|しっぱい}が{続|つづ}いたため、しばらく{待|ま}ってからもう{一度|いちど}{試|ため}してください。",
		easy: "{何回|なんかい}も まちがえました。すこし {待|ま}ってから、もう {一度|いちど} して ください。",
		en:   "Too many failed attempts in a row. Wait a little and try again.", zh: "连续失败次数过多，请稍后再试。",
		ko: "연속으로 너무 많이 실패했습니다. 잠시 후 다시 시도해 주세요."},
	"errBusy": {ja: "{混|こ}み{合|あ}っています。{少|すこ}し{待|ま}ってからもう{一度|いちど}{試|ため}してください。",
		easy: "いま こんで います。すこし {待|ま}って、もう {一度|いちど} して ください。",
		en:   "We are busy. Wait a moment and try again.", zh: "系统繁忙，请稍后再试。", ko: "요청이 많습니다. 잠시 후 다시 시도해 주세요."},
	"errInternal": {ja: "うまくいきませんでした。{時間|じかん}をおいてもう{一度|いちど}{試|ため}してください。",
		easy: "うまく いきませんでした。あとで もう {一度|いちど} して ください。",
		en:   "Something went wrong. Please try again later.", zh: "出现错误，请稍后再试。", ko: "문제가 발생했습니다. 나중에 다시 시도해 주세요."},
	"errNoToken": {ja: "リンクが{途中|とちゅう}で{切|き}れています。メールのリンクをもう{一度|いちど}{開|ひら}いてください。",
		easy: "リンクが {足|た}りません。メールの リンクを もう {一度|いちど} {開|ひら}いて ください。",
		en:   "The link is incomplete. Open the link in the e-mail again.", zh: "链接不完整，请重新打开邮件中的链接。",
		ko: "링크가 완전하지 않습니다. 메일의 링크를 다시 열어 주세요."},

	// /verify-email
	"verifyTitle": {ja: "メールアドレスの{確認|かくにん}", easy: "メールアドレスの {確認|かくにん}", en: "Confirm your email address",
		zh: "确认电子邮箱", ko: "이메일 주소 확인"},
	"verifyIntro": {ja: "{登録|とうろく}のときに{決|き}めたパスワードを{入|い}れると、{確認|かくにん}が{終|お}わり、ログインします。",
		easy: "{登録|とうろく}の ときに {決|き}めた パスワードを {書|か}いて ください。{確認|かくにん}が {終|お}わって、ログイン します。",
		en:   "Enter the password you chose when you signed up: that confirms your address and signs you in.",
		zh:   "请输入注册时设置的密码，即可完成确认并登录。", ko: "가입할 때 정한 비밀번호를 입력하면 확인이 끝나고 로그인됩니다."},
	"verifyButton": {ja: "{確認|かくにん}する", easy: "{確認|かくにん}する", en: "Confirm", zh: "确认", ko: "확인"},
	"verifiedTitle": {ja: "メールアドレスを{確認|かくにん}しました", easy: "メールアドレスを {確認|かくにん}しました",
		en: "Your email address is confirmed", zh: "电子邮箱已确认", ko: "이메일 주소가 확인되었습니다"},
	"verifiedBody": {ja: "ログインしました。このアドレスでのご{注文|ちゅうもん}の{履歴|りれき}が{見|み}られます。",
		easy: "ログイン しました。この アドレスで {買|か}った ものが {見|み}られます。",
		en:   "You are signed in. Your orders with this address are now in your account.",
		zh:   "您已登录，可以查看用此邮箱下的订单。", ko: "로그인되었습니다. 이 주소로 한 주문을 볼 수 있습니다."},

	// /reset-password
	"resetTitle": {ja: "パスワードの{再設定|さいせってい}", easy: "パスワードを {決|き}めなおす", en: "Set a new password",
		zh: "重设密码", ko: "비밀번호 재설정"},
	"resetIntro": {ja: "{新|あたら}しいパスワードを{決|き}めてください。ほかの{端末|たんまつ}のログインはすべて{終|お}わります。",
		easy: "{新|あたら}しい パスワードを {決|き}めて ください。ほかの {機械|きかい}の ログインは {全部|ぜんぶ} {終|お}わります。",
		en:   "Choose a new password. You will be signed out everywhere else.",
		zh:   "请设置新密码。其他设备上的登录将全部退出。", ko: "새 비밀번호를 정해 주세요. 다른 기기의 로그인은 모두 종료됩니다."},
	"resetButton": {ja: "パスワードを{変|か}える", easy: "パスワードを {変|か}える", en: "Change the password", zh: "更改密码", ko: "비밀번호 변경"},
	"resetDone": {ja: "パスワードを{変|か}えました。{新|あたら}しいパスワードでログインしてください。",
		easy: "パスワードを {変|か}えました。{新|あたら}しい パスワードで ログイン して ください。",
		en:   "Your password is changed. Sign in with the new password.", zh: "密码已更改，请用新密码登录。",
		ko: "비밀번호를 변경했습니다. 새 비밀번호로 로그인해 주세요."},
	"forgotTitle": {ja: "パスワードを{忘|わす}れたとき", easy: "パスワードを {忘|わす}れた とき", en: "Forgot your password?",
		zh: "忘记密码", ko: "비밀번호를 잊었을 때"},
	"forgotIntro": {ja: "{登録|とうろく}したメールアドレスに、パスワードを{決|き}め{直|なお}すリンクを{送|おく}ります。",
		easy: "{登録|とうろく}した メールアドレスに、パスワードを {決|き}めなおす リンクを {送|おく}ります。",
		en:   "We will e-mail a link to set a new password to the address of your account.",
		zh:   "我们会向您账户的邮箱发送重设密码的链接。", ko: "계정의 이메일 주소로 비밀번호를 다시 정하는 링크를 보냅니다."},
	"forgotButton": {ja: "リンクを{送|おく}る", easy: "リンクを {送|おく}る", en: "Send the link", zh: "发送链接", ko: "링크 보내기"},
	"forgotSent": {ja: "このアドレスのアカウントがあれば、メールを{送|おく}りました。リンクは1{時間|じかん}{使|つか}えます。",
		easy: "この アドレスの アカウントが あれば、メールを {送|おく}りました。リンクは 1{時間|じかん} {使|つか}えます。",
		en:   "If an account has this address, we have sent it an e-mail. The link works for one hour.",
		zh:   "如果有使用此邮箱的账户，我们已发送邮件。链接在一小时内有效。",
		ko:   "이 주소의 계정이 있으면 메일을 보냈습니다. 링크는 1시간 동안 쓸 수 있습니다."},
	"forgotAgain": {ja: "{新|あたら}しいリンクを{送|おく}る", easy: "{新|あたら}しい リンクを {送|おく}る", en: "Send a new link",
		zh: "发送新链接", ko: "새 링크 보내기"},

	// /sign-in
	"signInTitle":  {ja: "ログイン", easy: "ログイン", en: "Sign in", zh: "登录", ko: "로그인"},
	"signInButton": {ja: "ログインする", easy: "ログイン する", en: "Sign in", zh: "登录", ko: "로그인"},
	"signedInTitle": {ja: "ログインしました", easy: "ログイン しました", en: "You are signed in", zh: "您已登录",
		ko: "로그인되었습니다"},
	"signedInAs": {ja: "{name} さんとしてログインしています。", easy: "{name} さんで ログイン して います。",
		en: "Signed in as {name}.", zh: "当前登录：{name}。", ko: "{name} 님으로 로그인했습니다."},
	"staffElsewhere": {ja: "{職員|しょくいん}の{方|かた}はレジか{管理画面|かんりがめん}からログインしてください。",
		easy: "{働|はたら}く {人|ひと}は レジか {管理|かんり}の {画面|がめん}から ログイン して ください。",
		en:   "Staff sign in at the POS or the console.", zh: "工作人员请从收银台或管理后台登录。",
		ko: "직원은 POS 또는 관리 화면에서 로그인해 주세요."},
	"openPOS":     {ja: "レジを{開|ひら}く", easy: "レジを {開|ひら}く", en: "Open the POS", zh: "打开收银台", ko: "POS 열기"},
	"openConsole": {ja: "{管理画面|かんりがめん}を{開|ひら}く", easy: "{管理|かんり}の {画面|がめん}を {開|ひら}く", en: "Open the console", zh: "打开管理后台", ko: "관리 화면 열기"},

	// /accept-invitation
	"inviteTitle": {ja: "{職員|しょくいん}アカウントを{作|つく}る", easy: "{働|はたら}く {人|ひと}の アカウントを {作|つく}る",
		en: "Create your staff account", zh: "创建员工账户", ko: "직원 계정 만들기"},
	"inviteIntro": {ja: "{招待|しょうたい}を{受|う}けて、お{名前|なまえ}とパスワードを{決|き}めてください。",
		easy: "よばれて きました。{名前|なまえ}と パスワードを {決|き}めて ください。",
		en:   "You were invited. Choose the name others see and your password.",
		zh:   "您收到了邀请。请填写姓名并设置密码。", ko: "초대를 받으셨습니다. 이름과 비밀번호를 정해 주세요."},
	"inviteButton": {ja: "アカウントを{作|つく}る", easy: "アカウントを {作|つく}る", en: "Create the account", zh: "创建账户", ko: "계정 만들기"},
	"inviteDone": {ja: "アカウントができました", easy: "アカウントが できました", en: "Your account is ready",
		zh: "账户已创建", ko: "계정이 만들어졌습니다"},
	"inviteNext": {ja: "メールアドレスと{今|いま}{決|き}めたパスワードでログインしてください。",
		easy: "メールアドレスと いま {決|き}めた パスワードで ログイン して ください。",
		en:   "Sign in there with your email address and the password you just chose.",
		zh:   "请用电子邮箱和刚设置的密码登录。", ko: "이메일 주소와 방금 정한 비밀번호로 로그인해 주세요."},
}

func init() {
	for _, more := range []map[string]map[tsunagu.Locale]string{shopMessages, orderMessages, accountMessages} {
		for k, v := range more {
			messages[k] = v
		}
	}
}

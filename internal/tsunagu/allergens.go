package tsunagu

// Allergen is one of the 特定原材料 (labelling mandatory) or 特定原材料に準ずるもの
// (labelling recommended) of Japan's Food Labelling Standards.
type Allergen string

// The eight mandatory allergens.
const (
	AllergenShrimp    Allergen = "SHRIMP"
	AllergenCrab      Allergen = "CRAB"
	AllergenWalnut    Allergen = "WALNUT"
	AllergenWheat     Allergen = "WHEAT"
	AllergenBuckwheat Allergen = "BUCKWHEAT"
	AllergenEgg       Allergen = "EGG"
	AllergenMilk      Allergen = "MILK"
	AllergenPeanut    Allergen = "PEANUT"
)

// The recommended allergens.
const (
	AllergenAlmond    Allergen = "ALMOND"
	AllergenAbalone   Allergen = "ABALONE"
	AllergenSquid     Allergen = "SQUID"
	AllergenSalmonRoe Allergen = "SALMON_ROE"
	AllergenOrange    Allergen = "ORANGE"
	AllergenCashew    Allergen = "CASHEW"
	AllergenKiwi      Allergen = "KIWI"
	AllergenBeef      Allergen = "BEEF"
	AllergenSesame    Allergen = "SESAME"
	AllergenSalmon    Allergen = "SALMON"
	AllergenMackerel  Allergen = "MACKEREL"
	AllergenSoybean   Allergen = "SOYBEAN"
	AllergenChicken   Allergen = "CHICKEN"
	AllergenBanana    Allergen = "BANANA"
	AllergenPork      Allergen = "PORK"
	AllergenMacadamia Allergen = "MACADAMIA"
	AllergenPeach     Allergen = "PEACH"
	AllergenYam       Allergen = "YAM"
	AllergenApple     Allergen = "APPLE"
	AllergenGelatin   Allergen = "GELATIN"
)

// AllergenInfo describes an allergen for labels.
type AllergenInfo struct {
	Allergen Allergen
	NameJa   string
	NameEn   string
	// Mandatory is true for the 特定原材料, whose labelling the law requires.
	Mandatory bool
}

// Allergens lists every allergen, the mandatory ones first, in the order of the
// Consumer Affairs Agency's lists.
var Allergens = []AllergenInfo{
	{AllergenShrimp, "えび", "shrimp", true},
	{AllergenCrab, "かに", "crab", true},
	{AllergenWalnut, "くるみ", "walnut", true},
	{AllergenWheat, "小麦", "wheat", true},
	{AllergenBuckwheat, "そば", "buckwheat", true},
	{AllergenEgg, "卵", "egg", true},
	{AllergenMilk, "乳", "milk", true},
	{AllergenPeanut, "落花生", "peanut", true},
	{AllergenAlmond, "アーモンド", "almond", false},
	{AllergenAbalone, "あわび", "abalone", false},
	{AllergenSquid, "いか", "squid", false},
	{AllergenSalmonRoe, "いくら", "salmon roe", false},
	{AllergenOrange, "オレンジ", "orange", false},
	{AllergenCashew, "カシューナッツ", "cashew nut", false},
	{AllergenKiwi, "キウイフルーツ", "kiwi fruit", false},
	{AllergenBeef, "牛肉", "beef", false},
	{AllergenSesame, "ごま", "sesame", false},
	{AllergenSalmon, "さけ", "salmon", false},
	{AllergenMackerel, "さば", "mackerel", false},
	{AllergenSoybean, "大豆", "soybean", false},
	{AllergenChicken, "鶏肉", "chicken", false},
	{AllergenBanana, "バナナ", "banana", false},
	{AllergenPork, "豚肉", "pork", false},
	{AllergenMacadamia, "マカダミアナッツ", "macadamia nut", false},
	{AllergenPeach, "もも", "peach", false},
	{AllergenYam, "やまいも", "yam", false},
	{AllergenApple, "りんご", "apple", false},
	{AllergenGelatin, "ゼラチン", "gelatin", false},
}

var allergenInfo = func() map[Allergen]AllergenInfo {
	m := make(map[Allergen]AllergenInfo, len(Allergens))
	for _, a := range Allergens {
		m[a.Allergen] = a
	}
	return m
}()

// Info returns the label data of a, and false for an unknown allergen.
func (a Allergen) Info() (AllergenInfo, bool) {
	i, ok := allergenInfo[a]
	return i, ok
}

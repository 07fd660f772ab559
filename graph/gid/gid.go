// Package gid turns the domain's typed IDs into the API's opaque global IDs and back.
// A global ID is the base64url of "Kind:number"; clients must treat it as opaque.
package gid

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"tsunagu/internal/tsunagu"
)

// Kinds of object, as encoded in global IDs; each is the GraphQL type name.
const (
	KindMunicipality = "Municipality"
	KindFacility     = "Facility"
	KindProduct      = "Product"
	KindLocation     = "Location"
	KindUser         = "User"
	KindTransfer     = "Transfer"
	KindMovement     = "StockMovement"
	KindStocktake    = "Stocktake"
	KindAdjustment   = "StockAdjustment"
	KindSale         = "Sale"
	KindOrder        = "Order"
	KindRegister     = "Register"
	KindSession      = "RegisterSession"
	KindRefund       = "Refund"
	// KindOrderRefund is an online order's refund (not a Node: it is read through
	// its order).
	KindOrderRefund = "OrderRefund"
	// KindSettlement is a monthly statement (not a Node: settlement(id) reads it).
	KindSettlement = "Settlement"
	// KindPartnership is a partnership of two municipalities (not a Node: its
	// mutations return it).
	KindPartnership = "Partnership"
)

// Encode returns the global ID of the object of kind with database ID id.
func Encode(kind string, id int64) string {
	var buf [96]byte
	return string(appendRaw(buf[:0], kind, id))
}

// appendRaw appends the global ID of (kind, id) to b: "Kind:number" is made in a
// buffer on the stack and encoded straight into b. Encode's concatenation, its byte
// copy and EncodeToString's buffer were three allocations per ID (issue 16: a
// catalog page writes one per product).
func appendRaw(b []byte, kind string, id int64) []byte {
	var buf [64]byte
	src := strconv.AppendInt(append(append(buf[:0], kind...), ':'), id, 10)
	return base64.RawURLEncoding.AppendEncode(b, src)
}

// maxLen is the length of the longest string Decode takes for a global ID.
const maxLen = 64

// Decode splits a global ID into its kind and database ID. It returns NOT_FOUND for
// anything that is not a well-formed global ID, so a made-up ID reads as unknown.
func Decode(s string) (kind string, id int64, err error) {
	var buf [maxLen]byte
	k, id, ok := decode(&buf, s)
	if !ok {
		return "", 0, notFound(s)
	}
	return string(k), id, nil
}

// decode is Decode's work with the decoded bytes in buf, and the kind a slice of
// them: DecodeKind compares it with the kind it wants without making a string, and
// the canonical check and the number's parse make none either. Decoding with the
// standard library's strings was four allocations per ID read (issue 16: a catalog
// page with stock decoded the location's ID once per product).
func decode(buf *[maxLen]byte, s string) (kind []byte, id int64, ok bool) {
	if len(s) > maxLen {
		return nil, 0, false
	}
	var src [maxLen]byte
	n, err := base64.RawURLEncoding.Decode(buf[:], src[:copy(src[:], s)])
	if err != nil {
		return nil, 0, false
	}
	b := buf[:n]
	// Only the canonical form is an ID: the decoder would also take line breaks
	// and stray low bits, giving one object many IDs.
	var again [maxLen]byte
	if string(base64.RawURLEncoding.AppendEncode(again[:0], b)) != s {
		return nil, 0, false
	}
	i := bytes.IndexByte(b, ':')
	if i <= 0 {
		return nil, 0, false
	}
	id, ok = parseNumber(b[i+1:])
	return b[:i], id, ok
}

// parseNumber parses a positive decimal int64 written as strconv.FormatInt writes
// it (no sign, no leading zero); false for anything else.
func parseNumber(num []byte) (int64, bool) {
	if len(num) == 0 || len(num) > 19 || num[0] == '0' {
		return 0, false
	}
	var n uint64 // 19 digits fit
	for _, c := range num {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}

// DecodeKind decodes s and checks that it names an object of kind want. An ID of
// another kind gives NOT_FOUND naming the kind expected.
func DecodeKind(s, want string) (int64, error) {
	var buf [maxLen]byte
	kind, id, ok := decode(&buf, s)
	if !ok {
		return 0, notFound(s)
	}
	if string(kind) != want {
		return 0, tsunagu.Errorf(tsunagu.CodeNotFound, "", "%q is not the ID of a %s.", s, want)
	}
	return id, nil
}

func notFound(s string) error {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return tsunagu.Errorf(tsunagu.CodeNotFound, "", "%q is not a valid ID.", s)
}

func marshal(kind string, id int64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		w.Write(Append(nil, kind, id))
	})
}

// Append appends the global ID of the object of kind with database ID id to b as a
// JSON string, as its gqlgen marshaller writes it.
func Append(b []byte, kind string, id int64) []byte {
	b = append(b, '"') // base64url needs no escaping
	return append(appendRaw(b, kind, id), '"')
}

func unmarshal(v any, kind string) (int64, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("an ID must be a string, not %T", v)
	}
	return DecodeKind(s, kind)
}

// The functions below are gqlgen's marshallers for the typed IDs (see gqlgen.yml).

func MarshalMunicipalityID(id tsunagu.MunicipalityID) graphql.Marshaler {
	return marshal(KindMunicipality, int64(id))
}

func UnmarshalMunicipalityID(v any) (tsunagu.MunicipalityID, error) {
	id, err := unmarshal(v, KindMunicipality)
	return tsunagu.MunicipalityID(id), err
}

func MarshalFacilityID(id tsunagu.FacilityID) graphql.Marshaler {
	return marshal(KindFacility, int64(id))
}

func UnmarshalFacilityID(v any) (tsunagu.FacilityID, error) {
	id, err := unmarshal(v, KindFacility)
	return tsunagu.FacilityID(id), err
}

func MarshalProductID(id tsunagu.ProductID) graphql.Marshaler {
	return marshal(KindProduct, int64(id))
}

func UnmarshalProductID(v any) (tsunagu.ProductID, error) {
	id, err := unmarshal(v, KindProduct)
	return tsunagu.ProductID(id), err
}

func MarshalLocationID(id tsunagu.LocationID) graphql.Marshaler {
	return marshal(KindLocation, int64(id))
}

func UnmarshalLocationID(v any) (tsunagu.LocationID, error) {
	id, err := unmarshal(v, KindLocation)
	return tsunagu.LocationID(id), err
}

func MarshalUserID(id tsunagu.UserID) graphql.Marshaler {
	return marshal(KindUser, int64(id))
}

func UnmarshalUserID(v any) (tsunagu.UserID, error) {
	id, err := unmarshal(v, KindUser)
	return tsunagu.UserID(id), err
}

func MarshalTransferID(id tsunagu.TransferID) graphql.Marshaler {
	return marshal(KindTransfer, int64(id))
}

func UnmarshalTransferID(v any) (tsunagu.TransferID, error) {
	id, err := unmarshal(v, KindTransfer)
	return tsunagu.TransferID(id), err
}

func MarshalMovementID(id tsunagu.MovementID) graphql.Marshaler {
	return marshal(KindMovement, int64(id))
}

func UnmarshalMovementID(v any) (tsunagu.MovementID, error) {
	id, err := unmarshal(v, KindMovement)
	return tsunagu.MovementID(id), err
}

func MarshalStocktakeID(id tsunagu.StocktakeID) graphql.Marshaler {
	return marshal(KindStocktake, int64(id))
}

func UnmarshalStocktakeID(v any) (tsunagu.StocktakeID, error) {
	id, err := unmarshal(v, KindStocktake)
	return tsunagu.StocktakeID(id), err
}

func MarshalAdjustmentID(id tsunagu.AdjustmentID) graphql.Marshaler {
	return marshal(KindAdjustment, int64(id))
}

func UnmarshalAdjustmentID(v any) (tsunagu.AdjustmentID, error) {
	id, err := unmarshal(v, KindAdjustment)
	return tsunagu.AdjustmentID(id), err
}

func MarshalRegisterID(id tsunagu.RegisterID) graphql.Marshaler {
	return marshal(KindRegister, int64(id))
}

func UnmarshalRegisterID(v any) (tsunagu.RegisterID, error) {
	id, err := unmarshal(v, KindRegister)
	return tsunagu.RegisterID(id), err
}

func MarshalSessionID(id tsunagu.SessionID) graphql.Marshaler {
	return marshal(KindSession, int64(id))
}

func UnmarshalSessionID(v any) (tsunagu.SessionID, error) {
	id, err := unmarshal(v, KindSession)
	return tsunagu.SessionID(id), err
}

func MarshalSaleID(id tsunagu.SaleID) graphql.Marshaler {
	return marshal(KindSale, int64(id))
}

func UnmarshalSaleID(v any) (tsunagu.SaleID, error) {
	id, err := unmarshal(v, KindSale)
	return tsunagu.SaleID(id), err
}

func MarshalRefundID(id tsunagu.RefundID) graphql.Marshaler {
	return marshal(KindRefund, int64(id))
}

func UnmarshalRefundID(v any) (tsunagu.RefundID, error) {
	id, err := unmarshal(v, KindRefund)
	return tsunagu.RefundID(id), err
}

func MarshalOrderID(id tsunagu.OrderID) graphql.Marshaler {
	return marshal(KindOrder, int64(id))
}

func UnmarshalOrderID(v any) (tsunagu.OrderID, error) {
	id, err := unmarshal(v, KindOrder)
	return tsunagu.OrderID(id), err
}

func MarshalOrderRefundID(id tsunagu.OrderRefundID) graphql.Marshaler {
	return marshal(KindOrderRefund, int64(id))
}

func UnmarshalOrderRefundID(v any) (tsunagu.OrderRefundID, error) {
	id, err := unmarshal(v, KindOrderRefund)
	return tsunagu.OrderRefundID(id), err
}

func MarshalSettlementID(id tsunagu.SettlementID) graphql.Marshaler {
	return marshal(KindSettlement, int64(id))
}

func UnmarshalSettlementID(v any) (tsunagu.SettlementID, error) {
	id, err := unmarshal(v, KindSettlement)
	return tsunagu.SettlementID(id), err
}

func MarshalPartnershipID(id tsunagu.PartnershipID) graphql.Marshaler {
	return marshal(KindPartnership, int64(id))
}

func UnmarshalPartnershipID(v any) (tsunagu.PartnershipID, error) {
	id, err := unmarshal(v, KindPartnership)
	return tsunagu.PartnershipID(id), err
}

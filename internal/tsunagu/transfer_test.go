package tsunagu_test

import (
	"strings"
	"testing"

	"tsunagu/internal/tsunagu"
)

func TestCanTransition(t *testing.T) {
	const (
		req      = tsunagu.TransferRequested
		approved = tsunagu.TransferApproved
		shipped  = tsunagu.TransferShipped
		received = tsunagu.TransferReceived
		cancel   = tsunagu.TransferCancelled
	)
	// allowed lists, for every status, the actions it accepts; every other pair of
	// the product below must be refused.
	allowed := map[tsunagu.TransferStatus][]tsunagu.TransferAction{
		req:      {tsunagu.ActionApprove, tsunagu.ActionCancel},
		approved: {tsunagu.ActionShip, tsunagu.ActionCancel},
		// Partial shipments and receipts: both repeat while goods are on their way.
		// Cancel in SHIPPED closes the unshipped rest (CancelUnshipped).
		shipped:  {tsunagu.ActionShip, tsunagu.ActionReceive, tsunagu.ActionCancel},
		received: nil,
		cancel:   nil,
	}
	// why is a word the refusal must contain, so that a clerk learns the reason.
	why := map[tsunagu.TransferStatus]string{
		req: "not been approved", approved: "nothing has been shipped", shipped: "on their way",
		received: "received in full", cancel: "cancelled",
	}
	actions := []tsunagu.TransferAction{tsunagu.ActionApprove, tsunagu.ActionShip, tsunagu.ActionReceive, tsunagu.ActionCancel}
	for _, from := range []tsunagu.TransferStatus{req, approved, shipped, received, cancel} {
		for _, action := range actions {
			ok := false
			for _, a := range allowed[from] {
				ok = ok || a == action
			}
			t.Run(string(from)+"/"+string(action), func(t *testing.T) {
				err := tsunagu.CanTransition(from, action)
				if ok {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				if got := tsunagu.ErrorCode(err); got != tsunagu.CodeInvalidState {
					t.Fatalf("code %q (%v), want INVALID_STATE", got, err)
				}
				var e *tsunagu.Error
				if !asError(err, &e) || e.Field != "input.transferId" {
					t.Errorf("field of %v, want input.transferId", err)
				}
				msg := tsunagu.ErrorMessage(err)
				want := why[from]
				if action == tsunagu.ActionApprove {
					want = "not waiting for approval"
				}
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			})
		}
	}
}

func TestCancelUnshipped(t *testing.T) {
	line := func(approved, shipped, received, short int) *tsunagu.TransferLine {
		return &tsunagu.TransferLine{Approved: approved, Shipped: shipped, Received: received, Short: short}
	}
	for _, tc := range []struct {
		name  string
		lines []*tsunagu.TransferLine
		want  tsunagu.TransferStatus
		code  tsunagu.Code
	}{
		{"RestCancelledAllReceived", []*tsunagu.TransferLine{line(5, 3, 3, 0), line(2, 2, 1, 1)}, tsunagu.TransferReceived, ""},
		{"RestCancelledSomeOnTheWay", []*tsunagu.TransferLine{line(5, 3, 1, 0)}, tsunagu.TransferShipped, ""},
		{"LineNeverShipped", []*tsunagu.TransferLine{line(4, 4, 4, 0), line(3, 0, 0, 0)}, tsunagu.TransferReceived, ""},
		{"ErrEverythingShipped", []*tsunagu.TransferLine{line(5, 5, 2, 0)}, "", tsunagu.CodeInvalidState},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tsunagu.CancelUnshipped(tc.lines)
			if tsunagu.ErrorCode(err) != tc.code || got != tc.want {
				t.Fatalf("got %q, %v; want %q, code %q", got, err, tc.want, tc.code)
			}
			for i, l := range tc.lines {
				if tc.code == "" && l.Approved != l.Shipped {
					t.Errorf("line %d: approved %d, shipped %d", i, l.Approved, l.Shipped)
				}
			}
		})
	}
}

func asError(err error, e **tsunagu.Error) bool {
	errs := tsunagu.UserErrors(err)
	if len(errs) != 1 {
		return false
	}
	*e = errs[0]
	return true
}

func TestStatusAfterMovement(t *testing.T) {
	// line is requested/approved, shipped, received, short.
	line := func(approved, shipped, received, short int) *tsunagu.TransferLine {
		return &tsunagu.TransferLine{Requested: approved + 1, Approved: approved, Shipped: shipped, Received: received, Short: short}
	}
	tests := []struct {
		name  string
		lines []*tsunagu.TransferLine
		want  tsunagu.TransferStatus
	}{
		{"AllReceived", []*tsunagu.TransferLine{line(5, 5, 5, 0), line(2, 2, 2, 0)}, tsunagu.TransferReceived},
		{"ShortCountsAsAccountedFor", []*tsunagu.TransferLine{line(5, 5, 3, 2)}, tsunagu.TransferReceived},
		{"AllShort", []*tsunagu.TransferLine{line(4, 4, 0, 4)}, tsunagu.TransferReceived},
		{"PartlyShipped", []*tsunagu.TransferLine{line(5, 3, 3, 0)}, tsunagu.TransferShipped},
		{"NothingShippedOfOneLine", []*tsunagu.TransferLine{line(5, 5, 5, 0), line(2, 0, 0, 0)}, tsunagu.TransferShipped},
		{"ShippedNotReceived", []*tsunagu.TransferLine{line(5, 5, 0, 0)}, tsunagu.TransferShipped},
		{"PartlyReceived", []*tsunagu.TransferLine{line(5, 5, 4, 0)}, tsunagu.TransferShipped},
		{"PartlyReceivedWithShort", []*tsunagu.TransferLine{line(5, 5, 2, 1)}, tsunagu.TransferShipped},
		{"OneLineOutstanding", []*tsunagu.TransferLine{line(5, 5, 5, 0), line(3, 3, 1, 1)}, tsunagu.TransferShipped},
		// A line approved at zero ships nothing and waits for nothing.
		{"ZeroApprovedLine", []*tsunagu.TransferLine{line(5, 5, 5, 0), line(0, 0, 0, 0)}, tsunagu.TransferReceived},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tsunagu.StatusAfterMovement(tt.lines); got != tt.want {
				t.Errorf("StatusAfterMovement = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestTransferLineQuantities(t *testing.T) {
	l := tsunagu.TransferLine{Requested: 10, Approved: 8, Shipped: 6, Received: 3, Short: 1}
	if got := l.Unshipped(); got != 2 {
		t.Errorf("Unshipped = %d, want 2", got)
	}
	if got := l.Outstanding(); got != 2 {
		t.Errorf("Outstanding = %d, want 2", got)
	}
}

func TestTransferInputsValidate(t *testing.T) {
	short := tsunagu.ShortDamagedInTransit
	tests := []struct {
		name      string
		validate  func() error
		code      tsunagu.Code
		wantField string
	}{
		{"RequestOK", (&tsunagu.RequestTransferInput{FromLocationID: 1, ToLocationID: 2,
			Lines: []tsunagu.TransferQuantity{{ProductID: 1, Quantity: 1}}, IdempotencyKey: "k"}).Validate, "", ""},
		{"RequestSameLocation", (&tsunagu.RequestTransferInput{FromLocationID: 1, ToLocationID: 1,
			Lines: []tsunagu.TransferQuantity{{ProductID: 1, Quantity: 1}}, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeInvalidInput, "input.toLocationId"},
		{"RequestZero", (&tsunagu.RequestTransferInput{FromLocationID: 1, ToLocationID: 2,
			Lines: []tsunagu.TransferQuantity{{ProductID: 1, Quantity: 0}}, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeOutOfRange, "input.lines.0.quantity"},
		{"RequestNegative", (&tsunagu.RequestTransferInput{FromLocationID: 1, ToLocationID: 2,
			Lines: []tsunagu.TransferQuantity{{ProductID: 1, Quantity: -3}}, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeOutOfRange, "input.lines.0.quantity"},
		{"RequestNoLines", (&tsunagu.RequestTransferInput{FromLocationID: 1, ToLocationID: 2, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeRequired, "input.lines"},
		{"RequestNoKey", (&tsunagu.RequestTransferInput{FromLocationID: 1, ToLocationID: 2,
			Lines: []tsunagu.TransferQuantity{{ProductID: 1, Quantity: 1}}}).Validate,
			tsunagu.CodeRequired, "input.idempotencyKey"},
		{"ApproveZeroAllowed", (&tsunagu.ApproveTransferInput{TransferID: 1,
			Lines: []tsunagu.TransferQuantity{{ProductID: 1, Quantity: 0}}, IdempotencyKey: "k"}).Validate, "", ""},
		{"ApproveNegative", (&tsunagu.ApproveTransferInput{TransferID: 1,
			Lines: []tsunagu.TransferQuantity{{ProductID: 1, Quantity: -1}}, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeOutOfRange, "input.lines.0.quantity"},
		{"ShipDuplicate", (&tsunagu.ShipTransferInput{TransferID: 1,
			Lines: []tsunagu.TransferQuantity{{ProductID: 1, Quantity: 1}, {ProductID: 1, Quantity: 2}}, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeDuplicate, "input.lines.1.productId"},
		{"ReceiveShortWithoutReason", (&tsunagu.ReceiveTransferInput{TransferID: 1,
			Lines: []tsunagu.ReceiptLineInput{{ProductID: 1, Accepted: 1, Short: 1}}, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeRequired, "input.lines.0.shortReason"},
		{"ReceiveReasonWithoutShort", (&tsunagu.ReceiveTransferInput{TransferID: 1,
			Lines: []tsunagu.ReceiptLineInput{{ProductID: 1, Accepted: 1, ShortReason: &short}}, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeInvalidInput, "input.lines.0.shortReason"},
		{"ReceiveNothing", (&tsunagu.ReceiveTransferInput{TransferID: 1,
			Lines: []tsunagu.ReceiptLineInput{{ProductID: 1}}, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeOutOfRange, "input.lines.0"},
		{"ReceiveNegative", (&tsunagu.ReceiveTransferInput{TransferID: 1,
			Lines: []tsunagu.ReceiptLineInput{{ProductID: 1, Accepted: -1}}, IdempotencyKey: "k"}).Validate,
			tsunagu.CodeOutOfRange, "input.lines.0"},
		{"ReceiveShortOK", (&tsunagu.ReceiveTransferInput{TransferID: 1,
			Lines: []tsunagu.ReceiptLineInput{{ProductID: 1, Accepted: 1, Short: 1, ShortReason: &short}}, IdempotencyKey: "k"}).Validate, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.validate()
			if got := tsunagu.ErrorCode(err); got != tt.code {
				t.Fatalf("code %q (%v), want %q", got, err, tt.code)
			}
			if err == nil {
				return
			}
			if errs := tsunagu.UserErrors(err); errs[0].Field != tt.wantField {
				t.Errorf("field %q, want %q", errs[0].Field, tt.wantField)
			}
		})
	}
}

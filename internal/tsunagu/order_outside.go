package tsunagu

// A refund made in Stripe's dashboard, outside Tsunagu, is recorded without lines
// (RefundedOutside): which goods came back is not known. Staff say so later through
// refundOrder: the lines it is asked to refund are paid first from the outside
// money not yet attributed to lines, and only the rest is asked of Stripe.

// OutsideRefund is a refund of an order made outside Tsunagu: its Amount, and
// Attributed, the part of it refundOrder has since put on lines.
type OutsideRefund struct {
	ID         OrderRefundID
	Amount     int64
	Attributed int64
}

// Unattributed is the money of r no line accounts for yet.
func (r OutsideRefund) Unattributed() int64 { return max(0, r.Amount-r.Attributed) }

// Unattributed is the outside money of rs no line accounts for yet.
func Unattributed(rs []OutsideRefund) int64 {
	var n int64
	for _, r := range rs {
		n += r.Unattributed()
	}
	return n
}

// RefundPiece is what one refund gives back of one order line: Quantity units (0
// when it pays part of one unit whose rest another refund pays) and Amount yen.
type RefundPiece struct {
	LineNumber int
	Quantity   int
	Amount     int64
}

// PricedRefundLine is a line asked to be refunded, with its unit price.
type PricedRefundLine struct {
	LineNumber int
	Quantity   int
	UnitPrice  int64
}

// OutsideCover is what one outside refund pays of a request: Amount, on Lines.
type OutsideCover struct {
	RefundID OrderRefundID
	Amount   int64
	Lines    []RefundPiece
}

// RefundCover is how a refund request is paid: first from the outside money not
// yet attributed (Outside, one entry per outside refund that pays some of it, in
// order), and Rest, on RestLines, by a new refund through Stripe (0: none).
// Unattributed is the outside money still unattributed afterwards.
type RefundCover struct {
	Outside      []OutsideCover
	Rest         int64
	RestLines    []RefundPiece
	Unattributed int64
}

// CoverRefund pays a request to refund lines, worth total in all (their prices, and
// the rest of the order, its shipping fee, when they are its last units: total ≥
// the lines' prices), from the unattributed money of the outside refunds in order,
// then the rest through Stripe. The lines' money is attributed before the shipping
// fee, line by line in the order asked; a unit whose price is split between an
// outside refund and the rest counts in the piece that pays its last yen (pieces
// of quantity 0 pay part of a unit). Lines worth less than the outside money take
// what they are worth and leave the rest unattributed.
func CoverRefund(outside []OutsideRefund, lines []PricedRefundLine, total int64) RefundCover {
	var c RefundCover
	pools := make([]int64, len(outside))
	for i, r := range outside {
		pools[i] = r.Unattributed()
	}
	covers := make([]OutsideCover, len(outside))
	pool := 0
	// take pays want from the pools in order, then the rest, calling piece with each
	// part (pool -1 for the rest's).
	take := func(want int64, piece func(pool int, amount int64)) {
		for want > 0 && pool < len(pools) {
			if pools[pool] == 0 {
				pool++
				continue
			}
			a := min(want, pools[pool])
			piece(pool, a)
			pools[pool] -= a
			covers[pool].Amount += a
			want -= a
		}
		if want > 0 {
			piece(-1, want)
			c.Rest += want
		}
	}
	var goods int64
	var free []RefundPiece
	for _, l := range lines {
		worth := l.UnitPrice * int64(l.Quantity)
		goods += worth
		var paid int64
		units := 0
		take(worth, func(p int, amount int64) {
			paid += amount
			// The units whose last yen is now paid; the last piece takes the rest.
			done := l.Quantity
			if paid < worth && l.UnitPrice > 0 {
				done = int(paid / l.UnitPrice)
			}
			rp := RefundPiece{LineNumber: l.LineNumber, Quantity: done - units, Amount: amount}
			units = done
			if p < 0 {
				c.RestLines = append(c.RestLines, rp)
			} else {
				covers[p].Lines = append(covers[p].Lines, rp)
			}
		})
		if worth == 0 && l.Quantity > 0 {
			free = append(free, RefundPiece{LineNumber: l.LineNumber, Quantity: l.Quantity})
		}
	}
	take(max(0, total-goods), func(int, int64) {}) // the shipping fee, without a line
	for i, cv := range covers {
		if cv.Amount > 0 {
			cv.RefundID = outside[i].ID
			c.Outside = append(c.Outside, cv)
		}
	}
	// Free lines' units go with the refund through Stripe, or the last outside one
	// when nothing goes to Stripe.
	if c.Rest == 0 && len(c.Outside) > 0 {
		last := &c.Outside[len(c.Outside)-1]
		last.Lines = append(last.Lines, free...)
	} else {
		c.RestLines = append(c.RestLines, free...)
	}
	for _, p := range pools {
		c.Unattributed += p
	}
	return c
}

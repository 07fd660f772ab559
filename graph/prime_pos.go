package graph

import (
	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/internal/tsunagu"
)

// The visitors of point-of-sale and online-order types (see prime_catalog.go).

func (p *primer) register(sel ast.SelectionSet, objs []*tsunagu.Register) {
	for _, f := range p.fields(sel, "Register") {
		switch f.Name {
		case "shop":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.Register) tsunagu.LocationID { return o.ShopID }))
		case "openSession":
			p.openSessions.want(&p.l.openSession, refIDs(objs, func(o *tsunagu.Register) tsunagu.RegisterID { return o.ID }),
				func(ss []*tsunagu.RegisterSession) { p.session(f.Selections, ss) })
		}
	}
}

func (p *primer) registersAt(sel ast.SelectionSet, ids []tsunagu.RegisterID) {
	p.registers.want(&p.l.register, ids, func(rs []*tsunagu.Register) { p.register(sel, rs) })
}

func (p *primer) session(sel ast.SelectionSet, objs []*tsunagu.RegisterSession) {
	for _, f := range p.fields(sel, "RegisterSession") {
		ids := refIDs(objs, func(o *tsunagu.RegisterSession) tsunagu.SessionID { return o.ID })
		switch f.Name {
		case "register":
			p.registersAt(f.Selections, refIDs(objs, func(o *tsunagu.RegisterSession) tsunagu.RegisterID { return o.RegisterID }))
		case "openedBy":
			p.usersAt(f.Selections, refIDs(objs, func(o *tsunagu.RegisterSession) tsunagu.UserID { return o.OpenedBy }))
		case "closedBy":
			p.usersAt(f.Selections, optionalIDs(objs, func(o *tsunagu.RegisterSession) *tsunagu.UserID { return o.ClosedBy }))
		case "cashMovements":
			p.cashMovements.want(&p.l.cashMovements, ids, func(ls [][]*tsunagu.CashMovement) {
				p.usersAt(p.at(f.Selections, "CashMovement", "actor"),
					refIDs(flat(ls), func(o *tsunagu.CashMovement) tsunagu.UserID { return o.ActorID }))
			})
		case "report":
			p.reports.want(&p.l.report, ids, nil)
		}
	}
}

func (p *primer) sale(sel ast.SelectionSet, objs []*tsunagu.Sale) {
	for _, f := range p.fields(sel, "Sale") {
		ids := refIDs(objs, func(o *tsunagu.Sale) tsunagu.SaleID { return o.ID })
		switch f.Name {
		case "shop":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.Sale) tsunagu.LocationID { return o.ShopID }))
		case "register":
			p.registersAt(f.Selections, refIDs(objs, func(o *tsunagu.Sale) tsunagu.RegisterID { return o.RegisterID }))
		case "session":
			p.sessions.want(&p.l.session, refIDs(objs, func(o *tsunagu.Sale) tsunagu.SessionID { return o.SessionID }),
				func(ss []*tsunagu.RegisterSession) { p.session(f.Selections, ss) })
		case "soldBy":
			p.usersAt(f.Selections, refIDs(objs, func(o *tsunagu.Sale) tsunagu.UserID { return o.SoldBy }))
		case "voidedBy":
			p.usersAt(f.Selections, optionalIDs(objs, func(o *tsunagu.Sale) *tsunagu.UserID { return o.VoidedBy }))
		case "lines":
			p.saleLines.want(&p.l.saleLines, ids, func(ls [][]*tsunagu.SaleLine) { p.saleLine(f.Selections, flat(ls)) })
		case "payments":
			p.salePayments.want(&p.l.salePayments, ids, nil)
		case "refunds":
			p.refunds.want(&p.l.refunds, ids, func(ls [][]*tsunagu.Refund) { p.refund(f.Selections, flat(ls)) })
		case "receipt", "receiptText":
			p.receipts.want(&p.l.receipt, refIDs(objs, func(o *tsunagu.Sale) tsunagu.ReceiptKey { return tsunagu.ReceiptKey{Sale: o.ID} }), nil)
		}
	}
}

func (p *primer) saleLine(sel ast.SelectionSet, objs []*tsunagu.SaleLine) {
	p.goods(sel, "SaleLine", refIDs(objs, func(o *tsunagu.SaleLine) tsunagu.ProductID { return o.ProductID }),
		refIDs(objs, func(o *tsunagu.SaleLine) tsunagu.FacilityID { return o.OwnerFacilityID }))
}

func (p *primer) refund(sel ast.SelectionSet, objs []*tsunagu.Refund) {
	for _, f := range p.fields(sel, "Refund") {
		switch f.Name {
		case "sale":
			p.sales.want(&p.l.sale, refIDs(objs, func(o *tsunagu.Refund) tsunagu.SaleID { return o.SaleID }),
				func(ss []*tsunagu.Sale) { p.sale(f.Selections, ss) })
		case "createdBy":
			p.usersAt(f.Selections, refIDs(objs, func(o *tsunagu.Refund) tsunagu.UserID { return o.CreatedBy }))
		case "lines":
			p.refundLines.want(&p.l.refundLines, refIDs(objs, func(o *tsunagu.Refund) tsunagu.RefundID { return o.ID }), nil)
		case "receipt", "receiptText":
			p.receipts.want(&p.l.receipt, refIDs(objs, func(o *tsunagu.Refund) tsunagu.ReceiptKey {
				return tsunagu.ReceiptKey{Sale: o.SaleID, Refund: o.ID}
			}), nil)
		}
	}
}

func (p *primer) order(sel ast.SelectionSet, objs []*tsunagu.Order) {
	for _, f := range p.fields(sel, "Order") {
		ids := refIDs(objs, func(o *tsunagu.Order) tsunagu.OrderID { return o.ID })
		switch f.Name {
		case "shop":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.Order) tsunagu.LocationID { return o.ShopID }))
		case "lines", "taxes", "qualifyingTaxes", "nonQualifyingTaxes":
			p.orderLines.want(&p.l.orderLines, ids, func(ls [][]*tsunagu.OrderLine) {
				if f.Name == "lines" {
					p.orderLine(f.Selections, flat(ls))
				}
			})
		case "refunds":
			p.orderRefunds.want(&p.l.orderRefunds, ids, nil)
		}
	}
}

func (p *primer) orderLine(sel ast.SelectionSet, objs []*tsunagu.OrderLine) {
	p.goods(sel, "OrderLine", refIDs(objs, func(o *tsunagu.OrderLine) tsunagu.ProductID { return o.ProductID }),
		refIDs(objs, func(o *tsunagu.OrderLine) tsunagu.FacilityID { return o.OwnerFacilityID }))
}

func (p *primer) cashMovement(sel ast.SelectionSet, objs []*tsunagu.CashMovement) {
	p.usersAt(p.at(sel, "CashMovement", "actor"), refIDs(objs, func(o *tsunagu.CashMovement) tsunagu.UserID { return o.ActorID }))
}

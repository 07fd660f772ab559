// The page to pay: Stripe's Payment Element in the form, and on submit Stripe
// confirms the payment and comes back to the order's page. The order and its
// stock are held already; the server learns of the payment from Stripe's webhook.
const form = document.getElementById("pay-form");
const error = document.getElementById("pay-error");
const button = document.getElementById("pay-button");

if (form && typeof window.Stripe === "function") {
  const stripe = window.Stripe(form.dataset.key, { locale: form.dataset.locale });
  const elements = stripe.elements({ clientSecret: form.dataset.secret, locale: form.dataset.locale });
  elements.create("payment").mount("#payment-element");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    error.textContent = "";
    const result = await stripe.confirmPayment({ elements, confirmParams: { return_url: form.dataset.return } });
    // Only an error comes back here; success leaves for return_url.
    if (result && result.error) {
      error.textContent = result.error.message || "";
      button.disabled = false;
      button.focus();
    }
  });
} else if (form) {
  form.hidden = true;
}

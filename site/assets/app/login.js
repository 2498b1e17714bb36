// /app/login/: sign in with email and password; the server sets the session cookie.
import { field, h, nextPage, renderBar, submit, values, here } from "./confrere.js";

const LOGIN = `mutation AppLogin($input: LoginInput!) {
  login(input: $input) { account { id } userErrors { field code message } }
}`;

const root = document.querySelector(".confrere-app");
renderBar();
const form = h(
  "form",
  { class: "confrere-app__form", novalidate: true },
  field("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
  field("Password", { name: "password", type: "password", autocomplete: "current-password", required: true }),
  h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Sign in")),
  h(
    "p",
    { class: "confrere-app__meta" },
    "New here? ",
    h("a", { href: here("app/register/") }, "Create an account"),
    ". Forgot your password? ",
    h("a", { href: here("account/reset-password/") }, "Reset it"),
    ".",
  ),
);
root.append(form);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { email, password } = values(form);
  const payload = await submit(form, LOGIN, { input: { email: email || "", password: password || "" } }, "login");
  if (payload) window.location.assign(nextPage());
});
form.querySelector("input").focus();

// /app/register/: create an account; it is signed in at once (the server sets the cookie).
import { field, h, here, nextPage, renderBar, submit, values } from "./confrere.js";

const REGISTER = `mutation AppRegister($input: RegisterInput!) {
  register(input: $input) { account { id } userErrors { field code message } }
}`;

const root = document.querySelector(".confrere-app");
renderBar();
const form = h(
  "form",
  { class: "confrere-app__form", novalidate: true },
  field("Name", { name: "name", autocomplete: "name", required: true }),
  field("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
  field("Password", { name: "password", type: "password", autocomplete: "new-password", required: true }),
  h("p", { class: "confrere-app__meta" }, "At least 10 characters; a phrase you can remember is best."),
  h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Create account")),
  h("p", { class: "confrere-app__meta" }, "Already have one? ", h("a", { href: here("app/login/") }, "Sign in"), "."),
);
root.append(form);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { name, email, password } = values(form);
  const input = { name: name || "", email: email || "", password: password || "" };
  const payload = await submit(form, REGISTER, { input: input }, "register");
  if (payload) window.location.assign(nextPage());
});
form.querySelector("input").focus();

/*
 * Confrere account links: the pages the verification, password-reset and invitation emails
 * link to.
 *
 * Binds to <div class="confrere-account" data-action="verify-email|reset-password|invitation">
 * and asks the GraphQL API at /graphql (same origin) with verifyEmail, resetPassword,
 * requestPasswordReset, or register/login then acceptEmailInvitation, taking the token from
 * the page's `token` query parameter. Plain
 * JavaScript, no dependencies; answers are shown with textContent only.
 */
(function () {
  "use strict";

  var VERIFY = "mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) { email userErrors { field code message } } }";
  var RESET = "mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) { revokedSessions userErrors { field code message } } }";
  var REQUEST = "mutation RequestPasswordReset($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { userErrors { field code message } } }";

  var REGISTER = "mutation Register($input: RegisterInput!) { register(input: $input) { token userErrors { field code message } } }";
  var LOGIN = "mutation Login($input: LoginInput!) { login(input: $input) { token userErrors { field code message } } }";
  var ACCEPT = "mutation AcceptEmailInvitation($input: AcceptEmailInvitationInput!) { acceptEmailInvitation(input: $input) { membership { role } userErrors { field code message } } }";

  function endpoint(container) {
    return container.getAttribute("data-endpoint") || new URL("../../graphql", window.location.href).href;
  }

  function ask(container, query, input, bearer) {
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (bearer) { headers.Authorization = "Bearer " + bearer; }
    return fetch(endpoint(container), {
      method: "POST",
      headers: headers,
      body: JSON.stringify({ query: query, variables: { input: input } }),
    }).then(function (response) { return response.json(); });
  }

  function say(container, text, kind) {
    var status = container.querySelector(".confrere-account-status");
    status.textContent = text;
    status.setAttribute("data-kind", kind);
  }

  function answer(container, body, field, success) {
    if (body.errors && body.errors.length) {
      say(container, body.errors[0].message, "error");
      return false;
    }
    var errors = body.data[field].userErrors;
    if (errors.length) {
      say(container, errors.map(function (e) { return e.message; }).join(" "), "error");
      return false;
    }
    say(container, success(body.data[field]), "ok");
    return true;
  }

  function failed(container) {
    return function () { say(container, "The server could not be reached; try again.", "error"); };
  }

  function show(container, selector) {
    var element = container.querySelector(selector);
    if (element) { element.hidden = false; }
    return element;
  }

  function verifyEmail(container, token) {
    if (!token) {
      say(container, "This page needs the link from your verification email, in full.", "error");
      return;
    }
    say(container, "Verifying…", "busy");
    ask(container, VERIFY, { token: token }).then(function (body) {
      answer(container, body, "verifyEmail", function (result) {
        return result.email + " is verified. Thank you!";
      });
    }, failed(container));
  }

  function resetPassword(container, token) {
    var form = show(container, token ? "form.confrere-new-password" : "form.confrere-request-reset");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      var request = token
        ? ask(container, RESET, { token: token, newPassword: form.elements.password.value }).then(function (body) {
            if (answer(container, body, "resetPassword", function () {
              return "Your password is changed, and every device is signed out: log in with the new one.";
            })) { form.hidden = true; }
          })
        : ask(container, REQUEST, { email: form.elements.email.value }).then(function (body) {
            answer(container, body, "requestPasswordReset", function () {
              return "If an account uses this address, a link valid for an hour is on its way.";
            });
          });
      request.then(function () { button.disabled = false; }, function () {
        button.disabled = false;
        failed(container)();
      });
    });
  }

  function acceptInvitation(container, token) {
    if (!token) {
      say(container, "This page needs the link from your invitation email, in full.", "error");
      return;
    }
    say(container, "Create your account, or log in, to accept the invitation.", "busy");
    [["form.confrere-register", REGISTER, "register"], ["form.confrere-sign-in", LOGIN, "login"]].forEach(function (kind) {
      var form = show(container, kind[0]);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("button");
        button.disabled = true;
        var input = { email: form.elements.email.value, password: form.elements.password.value };
        if (form.elements.name) { input.name = form.elements.name.value; }
        ask(container, kind[1], input).then(function (body) {
          if (!answer(container, body, kind[2], function () { return "Joining…"; })) { return; }
          return ask(container, ACCEPT, { token: token }, body.data[kind[2]].token).then(function (accepted) {
            if (answer(container, accepted, "acceptEmailInvitation", function (result) {
              return "Welcome! You are now a member (" + result.membership.role.toLowerCase() + ").";
            })) {
              Array.prototype.forEach.call(container.querySelectorAll("form"), function (f) { f.hidden = true; });
            }
          });
        }).then(function () { button.disabled = false; }, function () {
          button.disabled = false;
          failed(container)();
        });
      });
    });
  }

  function bind(container) {
    var token = new URLSearchParams(window.location.search).get("token") || "";
    var action = container.getAttribute("data-action");
    if (action === "verify-email") { verifyEmail(container, token); }
    if (action === "reset-password") { resetPassword(container, token); }
    if (action === "invitation") { acceptInvitation(container, token); }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".confrere-account"), bind);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

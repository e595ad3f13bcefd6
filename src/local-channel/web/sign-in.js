/* global document */
// The simulated sign-in. When the bot answers a card click with a login request, Teams shows the
// OAuth connection's sign-in; here a dialog asks the viewer to sign in with or without MFA, and the
// local channel's identity provider signs the token the click is then sent again with.

export const LOGIN_REQUEST = "application/vnd.microsoft.activity.loginRequest";

/** Opens the sign-in dialog for `displayName`; resolves with "mfa", "no-mfa" or "cancel". */
export function askSignIn(displayName) {
  const dialog = document.getElementById("sign-in");
  document.getElementById("sign-in-who").textContent = displayName;
  return new Promise((resolve) => {
    // Escape closes a modal dialog with an empty returnValue: that is a cancel too.
    dialog.addEventListener("close", () => resolve(dialog.returnValue || "cancel"), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
  });
}

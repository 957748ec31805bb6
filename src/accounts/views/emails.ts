// The account e-mails (docs/compatibility.md §6.8): same triggers, recipients and subjects as the original, each
// as plain text and HTML. Wording is ours; no placeholder branding or invented support address.
import type { MailMessage } from '../../mail/index.ts';
import { html, type SafeHtml } from '../../http/views/html.ts';

type Mail = Omit<MailMessage, 'to'>;
interface Person { firstName: string; lastName: string }

function frame(heading: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${heading}</title></head>
<body style="margin:0;padding:24px;background:#f5f7fa;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<h1 style="font-size:22px;margin-top:0">${heading}</h1>
${body}
<p style="color:#52606d;font-size:13px;margin-top:32px">This message was sent by DJAM. Please do not reply to it.</p>
</div></body></html>`.value;
}

function button(href: string, label: string): SafeHtml {
  return html`<p style="margin:28px 0"><a href="${href}" style="background:#2f6fb3;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:600">${label}</a></p>
<p style="font-size:13px;color:#52606d">If the button does not work, copy this address into your browser:<br><span style="word-break:break-all">${href}</span></p>`;
}

const dear = (p: Person) => `Dear ${`${p.firstName} ${p.lastName}`.trim() || 'user'},`;

export function activationMail(activationUrl: string): Mail {
  return {
    subject: 'Activate your Account',
    text: `Welcome to DJAM!\n\nThank you for joining. Please confirm your e-mail address by opening this link within 12 hours:\n\n${activationUrl}\n\nIf you did not create an account, you can ignore this e-mail.\n`,
    html: frame('Welcome to DJAM!', html`<p>Thank you for joining. Please confirm your e-mail address within 12 hours.</p>
${button(activationUrl, 'Verify email')}
<p>If you did not create an account, you can ignore this e-mail.</p>`),
  };
}

/** `byAdmin`: an administrator sent the link; the mail names them instead of "someone". */
export function passwordResetMail(site: string, username: string, resetUrl: string, byAdmin?: { askedBy: string; hasPassword: boolean }): Mail {
  const who = byAdmin ? `An administrator (${byAdmin.askedBy})` : 'Someone';
  const whom = byAdmin ? `you, ${username}, to choose a new password for` : `(hopefully you, ${username}) asked to reset the password of`;
  const intro = byAdmin ? `${who} asked ${whom} your account on ${site}.` : `${who} ${whom} your account on ${site}.`;
  const outro = !byAdmin ? 'If you did not ask for this, ignore this e-mail: your password stays as it is.'
    : byAdmin.hasPassword ? 'Your current password keeps working until you choose a new one with this link.'
      : 'You can sign in once you have chosen a password with this link (you have no other one now).';
  return {
    subject: `Password reset on ${site}`,
    text: `${intro}\n\nTo choose a new password, open this link within 3 days:\n\n${resetUrl}\n\nYour username, in case you have forgotten it: ${username}\n\n${outro}\n`,
    html: frame('Password reset', html`<p>${intro}</p>
${button(resetUrl, 'Reset password')}
<p>Your username, in case you have forgotten it: <strong>${username}</strong></p>
<p>${outro}</p>`),
  };
}

export function passwordChangedMail(site: string, person: Person): Mail {
  return {
    subject: `Password change on ${site}`,
    text: `${dear(person)}\n\nThe password of your account on ${site} was changed.\n\nIf you did not do this, reset your password at once and contact your administrator.\n`,
    html: frame('Password changed', html`<p>${dear(person)}</p><p>The password of your account on ${site} was changed.</p>
<p>If you did not do this, reset your password at once and contact your administrator.</p>`),
  };
}

export function emailChangedMail(site: string, person: Person, newEmail: string): Mail {
  return {
    subject: `Email change on ${site}`,
    text: `${dear(person)}\n\nThe e-mail address of your account on ${site} was changed to ${newEmail}. This address will no longer receive messages about the account.\n\nIf you did not do this, contact your administrator at once.\n`,
    html: frame('Email address changed', html`<p>${dear(person)}</p><p>The e-mail address of your account on ${site} was changed to <strong>${newEmail}</strong>. This address will no longer receive messages about the account.</p>
<p>If you did not do this, contact your administrator at once.</p>`),
  };
}

export function confirmNewEmailMail(site: string, confirmUrl: string): Mail {
  return {
    subject: `Confirm your new email address on ${site}`,
    text: `Someone asked to make this the e-mail address of their account on ${site}.\n\nIf it was you, confirm the address by opening this link within 12 hours:\n\n${confirmUrl}\n\nUntil then the account keeps its previous address. If it was not you, ignore this e-mail: nothing changes.\n`,
    html: frame('Confirm your new email address', html`<p>Someone asked to make this the e-mail address of their account on ${site}.</p>
<p>If it was you, confirm the address within 12 hours. Until then the account keeps its previous address.</p>
${button(confirmUrl, 'Confirm email')}
<p>If it was not you, ignore this e-mail: nothing changes.</p>`),
  };
}

export function emailChangeRequestedMail(site: string, person: Person, newEmail: string): Mail {
  return {
    subject: `Email change requested on ${site}`,
    text: `${dear(person)}\n\nSomeone signed in to your account on ${site} asked to change its e-mail address to ${newEmail}. We sent a confirmation link there; the address changes only when it is followed. Until then this address stays the account's.\n\nIf you did not ask for this, change your password at once and contact your administrator.\n`,
    html: frame('Email change requested', html`<p>${dear(person)}</p><p>Someone signed in to your account on ${site} asked to change its e-mail address to <strong>${newEmail}</strong>. We sent a confirmation link there; the address changes only when it is followed. Until then this address stays the account's.</p>
<p>If you did not ask for this, change your password at once and contact your administrator.</p>`),
  };
}

/** Where someone who already has an account goes instead of signing up again. */
interface SignInLinks { loginUrl: string; resetUrl: string }

function signInText(links: SignInLinks): string {
  return `To sign in:\n\n${links.loginUrl}\n\nForgotten your password? Choose a new one here:\n\n${links.resetUrl}\n`;
}

function signInHtml(links: SignInLinks): SafeHtml {
  return html`${button(links.loginUrl, 'Sign in')}
<p>Forgotten your password? <a href="${links.resetUrl}">Choose a new one</a>.</p>`;
}

/**
 * To the owner of an address someone tried to sign up with (#17 item 8: the form answers as for a
 * new address). `activationUrl`: a fresh activation link, when the account is not confirmed yet.
 */
export function registrationAttemptMail(site: string, links: SignInLinks & { activationUrl?: string }): Mail {
  const activation = links.activationUrl;
  return {
    subject: `Sign-up attempt on ${site}`,
    text: `Someone, perhaps you, tried to create an account on ${site} with this e-mail address, which already has an account. No new account was made, and yours is unchanged.\n\n${activation ? `Your address is not confirmed yet. To confirm it, open this link within 12 hours:\n\n${activation}\n\n` : ''}${signInText(links)}\nIf it was not you, you can ignore this e-mail.\n`,
    html: frame('Sign-up attempt', html`<p>Someone, perhaps you, tried to create an account on ${site} with this e-mail address, which already has an account. No new account was made, and yours is unchanged.</p>
${activation ? html`<p>Your address is not confirmed yet. Confirm it within 12 hours:</p>${button(activation, 'Verify email')}` : ''}
${signInHtml(links)}
<p>If it was not you, you can ignore this e-mail.</p>`),
  };
}

/** To the owner of a confirmed address someone asked a new activation e-mail for (#17 item 8). */
export function alreadyConfirmedMail(site: string, links: SignInLinks): Mail {
  return {
    subject: `Activation request on ${site}`,
    text: `Someone, perhaps you, asked for a new activation e-mail for the account with this address on ${site}. Your address is already confirmed: there is nothing to activate.\n\n${signInText(links)}\nIf it was not you, you can ignore this e-mail.\n`,
    html: frame('Activation request', html`<p>Someone, perhaps you, asked for a new activation e-mail for the account with this address on ${site}. Your address is already confirmed: there is nothing to activate.</p>
${signInHtml(links)}
<p>If it was not you, you can ignore this e-mail.</p>`),
  };
}

// The common-password list of Django's CommonPasswordValidator, from a maintained package: the
// ~49,000 most frequent leaked passwords of zxcvbn-ts (lower-case, most frequent first). Its
// version is pinned in package.json so that a list update is a reviewed change.
import { dictionary } from '@zxcvbn-ts/language-common';

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

/** The page the browser shows after Entra's redirect, in `lang` (from the browser's Accept-Language). */
export interface SignInPage {
  status: number;
  /** The page's language (`<html lang>`): en, de or fr. */
  lang: string;
  title: string;
  text: string;
}

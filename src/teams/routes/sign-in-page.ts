/** The page the browser shows after Entra's redirect. */
export interface SignInPage {
  status: number;
  title: string;
  text: string;
}

/// <reference types="vite/client" />

// opencc-js ships its dictionaries as modules of one string ("繁 简|…") without types.
declare module 'opencc-js/dict/TSCharacters' {
  const pairs: string;
  export default pairs;
}

import type { ButtonHTMLAttributes } from "react";
import Link from "next/link";

const VARIANTS = {
  primary: "bg-blue-600 text-white hover:bg-blue-700 disabled:bg-blue-600/50 dark:hover:bg-blue-500",
  secondary:
    "border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:opacity-50 dark:hover:bg-red-500",
  ghost: "text-zinc-700 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800",
} as const;
const SIZES = { sm: "h-7 px-2.5 text-xs gap-1", md: "h-9 px-3.5 text-sm gap-1.5" } as const;

export type ButtonVariant = keyof typeof VARIANTS;

export function buttonClasses(variant: ButtonVariant = "primary", size: keyof typeof SIZES = "md"): string {
  return `inline-flex items-center justify-center whitespace-nowrap rounded-md font-medium transition-colors disabled:cursor-not-allowed ${VARIANTS[variant]} ${SIZES[size]}`;
}

export function Button({
  variant = "primary",
  size = "md",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: keyof typeof SIZES }) {
  return <button className={`${buttonClasses(variant, size)} ${className}`} {...props} />;
}

export function ButtonLink({
  href,
  variant = "primary",
  size = "md",
  children,
  ...props
}: {
  href: string;
  variant?: ButtonVariant;
  size?: keyof typeof SIZES;
  children: React.ReactNode;
  download?: boolean;
  prefetch?: boolean;
}) {
  return (
    <Link href={href} className={buttonClasses(variant, size)} {...props}>
      {children}
    </Link>
  );
}
